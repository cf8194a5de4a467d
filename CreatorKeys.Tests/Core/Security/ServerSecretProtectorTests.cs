using CreatorKeys.Core.Security;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Security;

public sealed class ServerSecretProtectorTests
{
    [Fact]
    public async Task Protect_ThenUnprotect_RoundTripsAndHidesTheSecret()
    {
        await using var host = await CoreHost.StartAsync();
        var protector = host.Services.GetRequiredService<ServerSecretProtector>();

        var protectedText = protector.Protect("smtp-password-123");

        Assert.DoesNotContain("smtp-password-123", protectedText, StringComparison.Ordinal);
        Assert.Equal("smtp-password-123", protector.TryUnprotect(protectedText));
    }

    [Fact]
    public async Task TryUnprotect_AlteredText_ReturnsNull()
    {
        await using var host = await CoreHost.StartAsync();
        var protector = host.Services.GetRequiredService<ServerSecretProtector>();
        var protectedText = protector.Protect("smtp-password-123");

        Assert.Null(protector.TryUnprotect(protectedText[..^4] + "AAAA"));
    }

    [Fact]
    public async Task KeyRing_IsPersistedInTheDataFolder_AndReportedUnencryptedWithoutCertificate()
    {
        await using var host = await CoreHost.StartAsync();
        host.Services.GetRequiredService<ServerSecretProtector>().Protect("anything");

        var status = host.Services.GetRequiredService<KeyRingStatus>();

        Assert.NotEmpty(Directory.GetFiles(host.DataFolder.KeyRingPath, "key-*.xml"));
        Assert.False(status.EncryptedAtRest);
        Assert.Contains("not encrypted at rest", status.Warning, StringComparison.Ordinal);
    }
}
