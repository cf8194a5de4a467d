using System.Net;
using System.Text;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>When the vault locks: idle time, restarts; and what the data folder holds at rest.</summary>
public sealed class VaultLifecycleTests
{
    [Fact]
    public async Task IdleAutoLock_AfterFifteenQuietMinutes_WipesKeyAndSendsToSignInWithReason()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);
        var key = await app.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var locked = new TaskCompletionSource<VaultSessionLockedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Sessions.SessionLocked += (_, e) => locked.TrySetResult(e);

        time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("vault")).Status);
        time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(20));

        // The background auto-lock fires on the fake clock, without any request.
        var lockEvent = await locked.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(VaultLockReason.Idle, lockEvent.Reason);
        Assert.True(session.IsLocked);
        await Assert.ThrowsAsync<VaultLockedException>(() => app.Services.GetRequiredService<VaultService>().RevealAsync(session, key.Id, TestAccounts.Origin));

        var vault = await client.GetAsync("vault");
        Assert.Equal(HttpStatusCode.Found, vault.Status);
        var signIn = await client.GetAsync(vault.Location!);
        Assert.Contains("locked itself after 15 minutes", signIn.StatusMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_LocksEveryVault_SignInUnlocksWithValuesIntact()
    {
        using var folder = new TempFolder();
        var value = TestAccounts.NewKeyValue();
        Guid keyId;
        var cookies = new CookieContainer();
        using (var first = AppHost.Start(folder))
        {
            using var client = PageClient.For(first, cookies);
            var session = await first.SignUpThroughFormAsync(client);
            keyId = (await first.AddKeyAsync(session, value)).Id;
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("vault")).Status);
        }

        using var second = AppHost.Start(folder);
        // The browser comes back with its old cookie (cookies do not depend on the port).
        using var restarted = PageClient.For(second, cookies);

        var vault = await restarted.GetAsync("vault");
        Assert.Equal(HttpStatusCode.Found, vault.Status);
        var signIn = await restarted.GetAsync(vault.Location!);
        Assert.Contains("CreatorKeys restarted", signIn.StatusMessage, StringComparison.Ordinal);
        Assert.Empty(second.OpenSessions());

        Assert.Equal(HttpStatusCode.Found, (await restarted.SignInThroughFormAsync()).Status);
        var session2 = Assert.Single(second.OpenSessions());
        await second.Services.ConfirmItsYouAsync(session2);
        Assert.Equal(value, await second.Services.GetRequiredService<VaultService>().RevealAsync(session2, keyId, TestAccounts.Origin));
    }

    [Fact]
    public async Task DataFolder_AfterStoringAKey_HoldsNoTraceOfTheValue()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);
        await app.Services.ConfirmItsYouAsync(session);
        var values = new[] { TestAccounts.NewKeyValue(), TestAccounts.NewKeyValue("sk-ant-api03-"), TestAccounts.NewKeyValue("") };
        foreach (var (value, environment) in values.Zip(VaultEnvironments.All))
        {
            await app.AddKeyAsync(session, value, environment);
            await app.Services.GetRequiredService<VaultService>().RevealAsync(session, (await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId)).First(k => k.Environment == environment).Id, TestAccounts.Origin);
        }

        // Two-step sign-in too: its key (as the app shows it, and raw) and its recovery codes are secrets as well.
        var (authenticatorKey, twoStepCodes) = await app.EnableTwoStepWithCodesAsync();

        // An access token, used once over HTTP: neither its text, its secret (as text or raw bytes) nor what it served may be in the folder.
        var token = (await app.Services.GetRequiredService<CreatorKeys.Core.AccessTokens.AccessTokenService>().CreateAsync(
            session, new CreatorKeys.Core.AccessTokens.NewTokenInput("scan", VaultEnvironment.Dev, CreatorKeys.Core.AccessTokens.TokenLifetime.Days30), TestAccounts.Origin)).TokenText!;
        using (var api = new HttpClient { BaseAddress = app.BaseAddress })
        {
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("api/v1/secrets")).StatusCode);
        }

        var tokenSecret = token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];
        var rawTokenSecret = System.Buffers.Text.Base64Url.DecodeFromChars(tokenSecret);
        var secrets = values.Concat([authenticatorKey, authenticatorKey.ToLowerInvariant(), token, tokenSecret, .. twoStepCodes, .. twoStepCodes.Select(c => c.Replace("-", "", StringComparison.Ordinal))]);
        var rawKey = OtpNet.Base32Encoding.ToBytes(authenticatorKey);

        var files = app.Folder.AllFiles().ToList();

        Assert.Contains(files, f => f.File == "creatorkeys.db");
        Assert.Contains(files, f => f.File == "creatorkeys.db-wal");
        Assert.Contains(files, f => f.File.StartsWith("keys", StringComparison.Ordinal));
        foreach (var (file, bytes) in files)
        {
            Assert.True(bytes.AsSpan().IndexOf(rawKey) < 0, $"{file} contains the raw authenticator key.");
            Assert.True(bytes.AsSpan().IndexOf(rawTokenSecret) < 0, $"{file} contains an access token's raw secret.");
        }

        foreach (var value in secrets)
        {
            foreach (var form in EncodedForms(value))
            {
                foreach (var (file, bytes) in files)
                {
                    Assert.True(bytes.AsSpan().IndexOf(form) < 0, $"{file} contains the key value (or an encoding of it).");
                }
            }
        }
    }

    [Fact]
    public async Task KeyRingCertificate_Configured_EncryptsKeyRingAndSilencesWarning()
    {
        using var folder = new TempFolder();
        var pfx = Path.Combine(folder.Path, "keyring.pfx");
        using (var rsa = System.Security.Cryptography.RSA.Create(2048))
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=CreatorKeys test key ring", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pfx-password"));
        }

        using var app = AppHost.Start(folder, settings: new Dictionary<string, string?>
        {
            ["CreatorKeys:DataProtection:CertificatePath"] = pfx,
            ["CreatorKeys:DataProtection:CertificatePassword"] = "pfx-password",
        });
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        var keyXml = await File.ReadAllTextAsync(Directory.GetFiles(app.DataFolder.KeyRingPath, "key-*.xml").Single());
        Assert.Contains("EncryptedKey", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", keyXml, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("not encrypted at rest", StringComparison.Ordinal));
        var settings = await client.GetAsync("settings");
        Assert.Null(settings.Document.QuerySelector("[data-testid='key-ring-warning']"));
        Assert.Contains("CN=CreatorKeys test key ring", settings.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRingWithoutCertificate_WarnsOnceInLogAndOnSettings()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        var settings = await client.GetAsync("settings");

        Assert.Single(app.Logs.Lines, l => l.Contains("not encrypted at rest", StringComparison.Ordinal));
        Assert.NotNull(settings.Document.QuerySelector("[data-testid='key-ring-warning']"));
    }

    [Fact]
    public void KeyRingCertificate_MissingFile_FailsAtStartWithTheSettingName()
    {
        var error = Assert.ThrowsAny<Exception>(() => AppHost.Start(settings: new Dictionary<string, string?>
        {
            ["CreatorKeys:DataProtection:CertificatePath"] = "/no/such/certificate.pfx",
        }));

        Assert.Contains("CreatorKeys:DataProtection:CertificatePath", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_IterationsBelowMinimum_FailsAtStart()
    {
        var error = Assert.ThrowsAny<Exception>(() => AppHost.Start(settings: new Dictionary<string, string?>
        {
            ["CreatorKeys:Vault:KeyDerivationIterations"] = "100000",
        }));

        Assert.Contains("KeyDerivationIterations", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Logging:LogLevel:Microsoft.AspNetCore.SignalR.Internal")]
    [InlineData("Logging:Console:LogLevel:Microsoft.AspNetCore.SignalR")]
    public void Logging_SetLowEnoughToWriteBrowserMessages_FailsAtStart(string setting)
    {
        var error = Assert.ThrowsAny<Exception>(() => AppHost.Start(settings: new Dictionary<string, string?> { [setting] = "Debug" }));

        Assert.Contains("could include API key values", error.ToString(), StringComparison.Ordinal);
    }

    private static IEnumerable<byte[]> EncodedForms(string value)
    {
        var utf8 = Encoding.UTF8.GetBytes(value);
        yield return utf8;
        yield return Encoding.Unicode.GetBytes(value);
        yield return Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexString(utf8));
        yield return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8));
        // Any 12-character window of the value beyond what the hint shows.
        if (utf8.Length >= 16)
        {
            yield return utf8[^16..^4];
        }
    }
}
