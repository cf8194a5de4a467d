using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CreatorKeys.Tests.Core.Security;

/// <summary>The key ring's status comes from its stored keys (files, or rows on PostgreSQL), and turning a certificate on re-encrypts the keys made before it.</summary>
public sealed class KeyRingStatusTests
{
    [Fact]
    public async Task CertificateTurnedOn_ExistingPlainKeysAreReported_ThenReEncryptedAtStart_AndStillOpenOldSecrets()
    {
        using var folder = new TempFolder();
        string protectedSecret;
        await using (var before = await CoreHost.StartAsync(folder: folder))
        {
            before.KeepFolderOnDispose();
            protectedSecret = before.Services.GetRequiredService<ServerSecretProtector>().Protect("smtp-password-123");
            Assert.False(before.Services.GetRequiredService<KeyRingStatus>().EncryptedAtRest);
        }

        var keyFile = Assert.Single(Directory.GetFiles(Path.Combine(folder.Path, "keys"), "key-*.xml"));
        Assert.Contains("<masterKey", await File.ReadAllTextAsync(keyFile), StringComparison.Ordinal);
        var pfx = WriteCertificate(folder.Path);

        await using var after = await CoreHost.StartAsync(new Dictionary<string, string?>
        {
            ["CreatorKeys:DataProtection:CertificatePath"] = pfx,
            ["CreatorKeys:DataProtection:CertificatePassword"] = "pfx-password",
        }, folder);
        after.KeepFolderOnDispose();
        var status = after.Services.GetRequiredService<KeyRingStatus>();

        // The setting says "certificate"; the file says "plain": the file wins.
        Assert.Equal(new KeyRingFiles(0, 1), status.ReadFiles());
        Assert.False(status.EncryptedAtRest);
        Assert.Contains("still stored unencrypted", status.Warning, StringComparison.Ordinal);

        foreach (var service in after.Services.GetServices<IHostedService>().Where(s => s.GetType().Name == "KeyRingWarning"))
        {
            await service.StartAsync(CancellationToken.None);
        }

        var xml = await File.ReadAllTextAsync(keyFile);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Equal(new KeyRingFiles(1, 0), status.ReadFiles());
        Assert.True(status.EncryptedAtRest);
        Assert.Null(status.Warning);
        Assert.Equal("smtp-password-123", after.Services.GetRequiredService<ServerSecretProtector>().TryUnprotect(protectedSecret));
    }

    [Fact]
    public async Task NoCertificate_AndPlainKeyFiles_AreReportedUnencrypted()
    {
        await using var host = await CoreHost.StartAsync();
        host.Services.GetRequiredService<ServerSecretProtector>().Protect("anything");

        var status = host.Services.GetRequiredService<KeyRingStatus>();

        Assert.Equal(new KeyRingFiles(0, 1), status.ReadFiles());
        Assert.Equal(KeyRingStatus.UnencryptedWarning, status.Warning);
    }

    [Fact]
    public async Task OnPostgreSql_TheRingIsInTheDatabase_PlainRowsAreReported_ThenReEncryptedWithTheCertificateAtStart()
    {
        using var folder = new TempFolder();
        string protectedSecret;
        await using (var before = await CoreHost.StartAsync(DatabaseProvider.PostgreSql, folder: folder))
        {
            before.KeepFolderOnDispose();
            protectedSecret = before.Services.GetRequiredService<ServerSecretProtector>().Protect("smtp-password-123");
            var plain = before.Services.GetRequiredService<KeyRingStatus>();
            Assert.Equal(new KeyRingFiles(0, 1), plain.ReadFiles());
            Assert.Equal(KeyRingStatus.UnencryptedInDatabaseWarning, plain.Warning);
        }

        // Nothing in the data folder: the ring is the database's.
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, "keys"), "key-*.xml"));
        var pfx = WriteCertificate(folder.Path);
        await using var after = await CoreHost.StartAsync(DatabaseProvider.PostgreSql, new Dictionary<string, string?>
        {
            ["CreatorKeys:DataProtection:CertificatePath"] = pfx,
            ["CreatorKeys:DataProtection:CertificatePassword"] = "pfx-password",
        }, folder);
        after.KeepFolderOnDispose();
        var status = after.Services.GetRequiredService<KeyRingStatus>();
        Assert.Contains("still stored unencrypted", status.Warning, StringComparison.Ordinal);

        foreach (var service in after.Services.GetServices<IHostedService>().Where(s => s.GetType().Name == "KeyRingWarning"))
        {
            await service.StartAsync(CancellationToken.None);
        }

        await using var db = new KeyRingDbContext(KeyRingDbContext.OptionsFor(after.Services.GetRequiredService<Database>()));
        var xml = Assert.Single(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Equal(new KeyRingFiles(1, 0), status.ReadFiles());
        Assert.Null(status.Warning);
        Assert.Equal("smtp-password-123", after.Services.GetRequiredService<ServerSecretProtector>().TryUnprotect(protectedSecret));
    }

    private static string WriteCertificate(string folder)
    {
        var pfx = Path.Combine(folder, "keyring.pfx");
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=CreatorKeys test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        return pfx;
    }
}
