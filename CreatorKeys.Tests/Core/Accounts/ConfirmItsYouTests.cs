using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Accounts;

/// <summary>
/// "Confirm it's you": every action that mints access or pours out values is refused by Core without a fresh
/// password (or authenticator code), allowed for 10 minutes after one, and refused again after that; wrong
/// answers count toward the sign-in lockout.
/// </summary>
public sealed class ConfirmItsYouTests : IAsyncLifetime
{
    private const string Passphrase = "lantern orbit pickle meadow";
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string> GuardedActions() =>
    [
        "new emergency kit", "download a backup", "restore a backup", "save the mail server", "forget the mail server",
        "reveal a PROD key", "copy a PROD key", "turn two-step on", "turn two-step off", "new two-step recovery codes",
    ];

    [Theory]
    [MemberData(nameof(GuardedActions))]
    public async Task GuardedAction_RefusedWithoutConfirmation_AllowedForTenMinutes_RefusedAfter(string action)
    {
        var (account, session, _) = await _host.SignUpAsync();
        var prod = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var run = Action(action, account.Id, session, prod.Id);

        await Assert.ThrowsAsync<ConfirmationRequiredException>(run);

        await _host.Services.ConfirmItsYouAsync(session);
        _host.Time.Advance(VaultSession.ConfirmationWindow - TimeSpan.FromSeconds(1));
        await run();

        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<ConfirmationRequiredException>(run);
    }

    [Fact]
    public async Task RevealDevKey_NeedsNoConfirmation_AndProdNeedsItOncePerWindow()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var devValue = TestAccounts.NewKeyValue();
        var prodValue = TestAccounts.NewKeyValue();
        var dev = await _host.AddKeyAsync(session, devValue, VaultEnvironment.Dev);
        var prod = await _host.AddKeyAsync(session, prodValue, VaultEnvironment.Prod);

        Assert.Equal(devValue, await _host.Vault.RevealAsync(session, dev.Id, TestAccounts.Origin));
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => _host.Vault.RevealAsync(session, prod.Id, TestAccounts.Origin));
        await _host.Services.ConfirmItsYouAsync(session);
        Assert.Equal(prodValue, await _host.Vault.RevealAsync(session, prod.Id, TestAccounts.Origin));
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(prodValue, await _host.Vault.CopyAsync(session, prod.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Confirmation_BelongsToOneSession_AndEndsWhenItLocks()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var prod = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var otherBrowser = _host.Sessions.Open(AccountService.Unlock(await FindAsync(account.Id), TestAccounts.Password), emergencyKitPending: false);

        await _host.Services.ConfirmItsYouAsync(session);

        Assert.True(session.IsConfirmed);
        Assert.False(otherBrowser.IsConfirmed);
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => _host.Vault.RevealAsync(otherBrowser, prod.Id, TestAccounts.Origin));
        _host.Sessions.Lock(session.Id, VaultLockReason.SignedOut);
        Assert.False(session.IsConfirmed);
    }

    [Fact]
    public async Task WrongPasswords_CountTowardTheSignInLockout_ThenEvenTheRightOneIsRefusedWithWhenToTryAgain()
    {
        var (account, session, _) = await _host.SignUpAsync();

        var answers = new List<ConfirmationResult>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await ConfirmAsync(session, $"not my password {i}"));
        }

        var right = await ConfirmAsync(session, TestAccounts.Password);

        Assert.All(answers.Take(4), a => Assert.Equal((false, false), (a.Succeeded, a.IsLockedOut)));
        Assert.Equal("That is not your password. Try again.", answers[0].Error);
        Assert.True(answers[4].IsLockedOut);
        Assert.True(right.IsLockedOut);
        Assert.Matches(@"try again in about \d+ minutes, after \d\d:\d\d UTC", right.Error);
        Assert.False(session.IsConfirmed);
        // The same counter as sign-in: signing in is paused too.
        Assert.Equal(SignInResult.LockedOut, await _host.WithAccountsAsync(async a => await a.CheckSignInPasswordAsync(await FindAsync(account.Id), TestAccounts.Password)));
        Assert.Contains(await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(account.Id, 50),
            e => e.Action == ActivityAction.SignInFailed && e.TargetName == "Wrong answer to “confirm it's you”");
    }

    [Fact]
    public async Task RightPassword_ClearsEarlierWrongAnswers()
    {
        var (account, session, _) = await _host.SignUpAsync();
        for (var i = 0; i < 4; i++)
        {
            await ConfirmAsync(session, "wrong wrong wrong");
        }

        Assert.True((await ConfirmAsync(session, TestAccounts.Password)).Succeeded);
        Assert.Equal(0, (await FindAsync(account.Id)).AccessFailedCount);
    }

    [Fact]
    public async Task WithTwoStepOn_ACodeFromTheAppConfirms_AndAWrongCodeCountsTowardTheLockout()
    {
        var (account, session, _) = await _host.SignUpAsync();
        string key;
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
            var twoFactor = scope.ServiceProvider.GetRequiredService<TwoFactorService>();
            var tracked = (await users.FindByIdAsync(account.Id))!;
            key = (await twoFactor.GetSetupAsync(tracked)).Key;
            await _host.Services.ConfirmItsYouAsync(session);
            Assert.True((await twoFactor.EnableAsync(tracked, session, TestAccounts.AuthenticatorCode(key, _host.Time.GetUtcNow()), TestAccounts.Origin)).Succeeded);
        }

        _host.Time.Advance(VaultSession.ConfirmationWindow);
        Assert.False(session.IsConfirmed);

        var wrong = await ConfirmAsync(session, "000000");
        Assert.False(wrong.Succeeded);
        Assert.Equal(1, (await FindAsync(account.Id)).AccessFailedCount);

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var right = await ConfirmAsync(session, TestAccounts.AuthenticatorCode(key, _host.Time.GetUtcNow()));
        Assert.True(right.Succeeded, right.Error);
        Assert.Equal(_host.Time.GetUtcNow() + VaultSession.ConfirmationWindow, right.Until);
        Assert.True(session.IsConfirmed);
    }

    private async Task<ConfirmationResult> ConfirmAsync(VaultSession session, string answer)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConfirmationService>().ConfirmAsync(session, answer, TestAccounts.Origin);
    }

    private async Task<Account> FindAsync(string accountId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<Account>>().FindByIdAsync(accountId))!;
    }

    /// <summary>Each guarded action as a page would call it; "allowed" means it ran past the guard (its own answer may still be no).</summary>
    private Func<Task> Action(string name, string accountId, VaultSession session, Guid prodKeyId) => name switch
    {
        "new emergency kit" => () => _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin)),
        "download a backup" => () => _host.Services.GetRequiredService<BackupService>().CreateAsync(session, Passphrase, TestAccounts.Origin),
        "restore a backup" => () => _host.Services.GetRequiredService<BackupService>().RestoreAsync(session, [1, 2, 3], Passphrase, TestAccounts.Origin),
        "save the mail server" => () => _host.Services.GetRequiredService<MailSettingsService>().SaveAsync(session, new MailSettingsInput { Host = "smtp.example.com", Port = 587 }),
        "forget the mail server" => () => _host.Services.GetRequiredService<MailSettingsService>().ResetAsync(session),
        "reveal a PROD key" => () => _host.Vault.RevealAsync(session, prodKeyId, TestAccounts.Origin),
        "copy a PROD key" => () => _host.Vault.CopyAsync(session, prodKeyId, TestAccounts.Origin),
        "turn two-step on" => () => WithTwoFactorAsync(accountId, (tf, a) => tf.EnableAsync(a, session, "123456", TestAccounts.Origin)),
        "turn two-step off" => () => WithTwoFactorAsync(accountId, (tf, a) => tf.DisableAsync(a, session, TestAccounts.Origin)),
        "new two-step recovery codes" => () => WithTwoFactorAsync(accountId, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private async Task<T> WithTwoFactorAsync<T>(string accountId, Func<TwoFactorService, Account, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<Account>>().FindByIdAsync(accountId);
        return await action(scope.ServiceProvider.GetRequiredService<TwoFactorService>(), account!);
    }
}
