using System.Text;
using System.Text.Json.Nodes;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Backup;

/// <summary>A backup file cannot make the server spend what it likes, nor be used to try passphrases at speed.</summary>
public sealed class BackupLimitsTests
{
    private const string Passphrase = "lantern orbit pickle meadow";

    [Fact]
    public async Task Restore_MoreThanTwiceTheConfiguredRounds_IsRefusedWithAPlainMessage_AndChangesNothing()
    {
        await using var source = await CoreHost.StartAsync();
        var (_, session, _) = await source.SignUpAsync();
        await source.Services.ConfirmItsYouAsync(session);
        await source.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var backup = JsonNode.Parse((await source.Services.GetRequiredService<BackupService>().CreateAsync(session, Passphrase, TestAccounts.Origin)).Content!)!;
        backup["kdf"]!["iterations"] = 1_200_001;

        await using var target = await CoreHost.StartAsync();
        var (_, targetSession, _) = await target.SignUpAsync("restored@example.com");
        await target.Services.ConfirmItsYouAsync(targetSession);
        var result = await target.Services.GetRequiredService<BackupService>().RestoreAsync(targetSession, Encoding.UTF8.GetBytes(backup.ToJsonString()), Passphrase, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.StartsWith("This backup asks for 1,200,001 rounds of passphrase stretching, more than twice this install's setting (1,200,000 at most)", result.Error, StringComparison.Ordinal);
        Assert.Empty(await target.Vault.ListKeysAsync(targetSession.AccountId));
    }

    [Fact]
    public async Task Restore_ExactlyTwiceTheConfiguredRounds_IsAccepted()
    {
        await using var source = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Vault:KeyDerivationIterations"] = "1200000" });
        var (_, session, _) = await source.SignUpAsync();
        await source.Services.ConfirmItsYouAsync(session);
        await source.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var backup = (await source.Services.GetRequiredService<BackupService>().CreateAsync(session, Passphrase, TestAccounts.Origin)).Content!;

        await using var target = await CoreHost.StartAsync();
        var (_, targetSession, _) = await target.SignUpAsync("restored@example.com");
        await target.Services.ConfirmItsYouAsync(targetSession);
        var result = await target.Services.GetRequiredService<BackupService>().RestoreAsync(targetSession, backup, Passphrase, TestAccounts.Origin);

        Assert.True(result.Succeeded, result.Error);
        Assert.Single(await target.Vault.ListKeysAsync(targetSession.AccountId));
    }

    [Fact]
    public async Task Restore_CountsTowardTheExportLimit_SoPassphrasesCannotBeTriedAtSpeed()
    {
        await using var source = await CoreHost.StartAsync();
        var (_, session, _) = await source.SignUpAsync();
        await source.Services.ConfirmItsYouAsync(session);
        await source.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var backup = (await source.Services.GetRequiredService<BackupService>().CreateAsync(session, Passphrase, TestAccounts.Origin)).Content!;

        await using var target = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:RateLimits:ExportsPerMinute"] = "2" });
        var (_, targetSession, _) = await target.SignUpAsync("restored@example.com");
        await target.Services.ConfirmItsYouAsync(targetSession);
        var backups = target.Services.GetRequiredService<BackupService>();
        var first = await backups.RestoreAsync(targetSession, backup, "wrong passphrase number one", TestAccounts.Origin);
        var second = await backups.RestoreAsync(targetSession, backup, "wrong passphrase number two", TestAccounts.Origin);
        var third = await backups.RestoreAsync(targetSession, backup, Passphrase, TestAccounts.Origin);

        Assert.Equal(BackupFile.WrongPassphraseMessage, first.Error);
        Assert.Equal(BackupFile.WrongPassphraseMessage, second.Error);
        Assert.Equal(RateLimitedException.MessageFor(LimitedAction.Export), third.Error);
        Assert.Empty(await target.Vault.ListKeysAsync(targetSession.AccountId));
    }
}
