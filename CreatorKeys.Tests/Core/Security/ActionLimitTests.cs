using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Security;

/// <summary>Per-account limits on revealing, copying and backups: refused past the limit, nothing recorded, other accounts untouched.</summary>
public sealed class ActionLimitTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(new Dictionary<string, string?>
    {
        ["CreatorKeys:RateLimits:RevealsPerMinute"] = "3",
        ["CreatorKeys:RateLimits:ExportsPerMinute"] = "1",
        ["CreatorKeys:Accounts:Registration"] = "Open",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task RevealAndCopy_ShareALimit_ThenArePausedWithAPlainMessageAndNoLogEntry()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var (_, other, _) = await _host.SignUpAsync("other@example.com");
        await _host.Services.ConfirmItsYouAsync(other);
        var theirs = await _host.AddKeyAsync(other, TestAccounts.NewKeyValue());

        Assert.NotNull(await _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
        Assert.NotNull(await _host.Vault.CopyAsync(session, key.Id, TestAccounts.Origin));
        Assert.NotNull(await _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
        var refused = await Assert.ThrowsAsync<RateLimitedException>(() => _host.Vault.CopyAsync(session, key.Id, TestAccounts.Origin));

        Assert.Contains("wait a minute", refused.Message, StringComparison.Ordinal);
        Assert.Equal(3, await CountAsync(session.AccountId, ActivityAction.KeyRevealed, ActivityAction.KeyCopied));
        // Another account has its own allowance.
        Assert.NotNull(await _host.Vault.RevealAsync(other, theirs.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Backups_CountAsExports_AndTheSecondIsRefusedWithAMessage()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var backups = _host.Services.GetRequiredService<BackupService>();
        const string Passphrase = "correct horse battery staple backup";

        var first = await backups.CreateAsync(session, Passphrase, TestAccounts.Origin);
        var second = await backups.CreateAsync(session, Passphrase, TestAccounts.Origin);

        Assert.NotNull(first.Content);
        Assert.Null(second.Content);
        Assert.Equal(RateLimitedException.MessageFor(LimitedAction.Export), second.Error);
        Assert.Equal(1, await CountAsync(session.AccountId, ActivityAction.BackupCreated));
    }

    private async Task<int> CountAsync(string accountId, params ActivityAction[] actions)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Activity.CountAsync(e => e.AccountId == accountId && actions.Contains(e.Action));
    }
}
