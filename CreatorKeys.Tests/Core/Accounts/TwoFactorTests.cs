using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Accounts;

/// <summary>
/// Two-step sign-in on Identity with the authenticator codes checked against a fake clock:
/// valid, drifted, expired and reused codes; recovery codes; lockout; turning it off; and the
/// password recovery that also needs the second step.
/// </summary>
public sealed class TwoFactorTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Enable_WithTheAppsCurrentCode_TurnsItOnAndGivesTenRecoveryCodes()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var key = await SetupKeyAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);

        var wrong = await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, "000000", TestAccounts.Origin));
        var right = await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, CodeAt(key, _host.Time.GetUtcNow()), TestAccounts.Origin));

        Assert.False(wrong.Succeeded);
        Assert.Equal(TwoFactorService.CodeField, wrong.Field);
        Assert.True(right.Succeeded);
        Assert.Equal(TwoFactorService.RecoveryCodeCount, right.RecoveryCodes.Count);
        Assert.Equal(right.RecoveryCodes.Count, right.RecoveryCodes.Distinct().Count());
        var status = await WithTwoFactorAsync(account.Id, (tf, a) => tf.GetStatusAsync(a));
        Assert.Equal(new TwoFactorStatus(true, 10, false), status);
        Assert.Contains(await ActivityAsync(account.Id), e => e == ActivityAction.TwoFactorEnabled);
    }

    [Fact]
    public async Task Code_FromNow_IsAcceptedOnce_AndAReusedCodeIsRefused()
    {
        var (account, key, _) = await SignUpWithTwoStepAsync();
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var code = CodeAt(key, _host.Time.GetUtcNow());

        var first = await SecondStepAsync(account.Id, code);
        var again = await SecondStepAsync(account.Id, code);
        _host.Time.Advance(TimeSpan.FromSeconds(10));
        var sameStepLater = await SecondStepAsync(account.Id, code);
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var next = await SecondStepAsync(account.Id, CodeAt(key, _host.Time.GetUtcNow()));

        Assert.Equal(SecondStepResult.Accepted, first);
        Assert.Equal(SecondStepResult.Wrong, again);
        Assert.Equal(SecondStepResult.Wrong, sameStepLater);
        Assert.Equal(SecondStepResult.Accepted, next);
    }

    [Fact]
    public async Task Code_HalfAMinuteOff_IsAccepted_ButAnExpiredOrFarFutureCodeIsNot()
    {
        var (account, key, _) = await SignUpWithTwoStepAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        var now = _host.Time.GetUtcNow();

        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, CodeAt(key, now.AddSeconds(-90))));
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, CodeAt(key, now.AddSeconds(-60))));
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, CodeAt(key, now.AddSeconds(60))));
        // A phone whose clock is 30 seconds slow.
        Assert.Equal(SecondStepResult.Accepted, await SecondStepAsync(account.Id, CodeAt(key, now.AddSeconds(-30))));
        // Same phone, a step later: its code is the server's current one, still newer than the one used.
        Assert.Equal(SecondStepResult.Accepted, await SecondStepAsync(account.Id, CodeAt(key, now)));
        // A code from before the last accepted step never works again, even inside the window.
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, CodeAt(key, now.AddSeconds(-30))));
    }

    [Fact]
    public async Task RecoveryCode_WorksOnce_InAnyCaseAndSpacing()
    {
        var (account, key, session) = await SignUpWithTwoStepAsync();
        var codes = await WithTwoFactorAsync(account.Id, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin));
        var code = codes.RecoveryCodes[3];

        var typed = $" {code.Replace("-", " ", StringComparison.Ordinal).ToLowerInvariant()} ";
        Assert.Equal(SecondStepResult.AcceptedRecoveryCode, await SecondStepAsync(account.Id, typed));
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, code));
        Assert.Equal(9, (await WithTwoFactorAsync(account.Id, (tf, a) => tf.GetStatusAsync(a))).RecoveryCodesLeft);
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, "ABCDE-FGHJK"));
        _ = key;
    }

    [Fact]
    public async Task NewRecoveryCodes_NeedAFreshConfirmation_AndReplaceTheOldOnes()
    {
        var (account, _, session) = await SignUpWithTwoStepAsync();
        var before = await WithTwoFactorAsync(account.Id, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin));
        _host.Time.Advance(VaultSession.ConfirmationWindow);

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => WithTwoFactorAsync(account.Id, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin)));
        Assert.Equal(SecondStepResult.AcceptedRecoveryCode, await SecondStepAsync(account.Id, before.RecoveryCodes[1]));
        await _host.Services.ConfirmItsYouAsync(session);
        var after = await WithTwoFactorAsync(account.Id, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin));

        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, before.RecoveryCodes[0]));
        Assert.Equal(SecondStepResult.AcceptedRecoveryCode, await SecondStepAsync(account.Id, after.RecoveryCodes[0]));
    }

    [Fact]
    public async Task WrongCodes_CountTowardTheLockout_AndARightPasswordDoesNotClearTheCount()
    {
        var (account, key, _) = await SignUpWithTwoStepAsync();

        var results = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            // A thief with the password: each right password must not reset the failures.
            results.Add((await _host.WithAccountsAsync(async a => await a.CheckSignInPasswordAsync(await FindAsync(account.Id), TestAccounts.Password))).ToString());
            results.Add((await SecondStepAsync(account.Id, "111111")).ToString());
            results.Add((await SecondStepAsync(account.Id, "222222")).ToString());
        }

        Assert.Equal(["RequiresTwoFactor", "Wrong", "Wrong", "RequiresTwoFactor", "Wrong", "Wrong", "RequiresTwoFactor", "LockedOut", "LockedOut"], results);
        Assert.Equal(SecondStepResult.LockedOut, await SecondStepAsync(account.Id, CodeAt(key, _host.Time.GetUtcNow().AddSeconds(30))));

        // Identity reads the wall clock for lockouts: end this one as 15 minutes would.
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            await db.Users.Where(a => a.Id == account.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.LockoutEnd, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(SecondStepResult.Accepted, await SecondStepAsync(account.Id, CodeAt(key, _host.Time.GetUtcNow())));
    }

    [Fact]
    public async Task Disable_NeedsAFreshConfirmation_ThenForgetsTheKeyAndTheCodes()
    {
        var (account, key, session) = await SignUpWithTwoStepAsync();
        var codes = await WithTwoFactorAsync(account.Id, (tf, a) => tf.NewRecoveryCodesAsync(a, session, TestAccounts.Origin));
        _host.Time.Advance(VaultSession.ConfirmationWindow);

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => WithTwoFactorAsync(account.Id, (tf, a) => tf.DisableAsync(a, session, TestAccounts.Origin)));
        Assert.True((await FindAsync(account.Id)).TwoFactorEnabled);

        await _host.Services.ConfirmItsYouAsync(session);
        var done = await WithTwoFactorAsync(account.Id, (tf, a) => tf.DisableAsync(a, session, TestAccounts.Origin));
        Assert.True(done.Succeeded);
        Assert.False((await FindAsync(account.Id)).TwoFactorEnabled);
        Assert.Equal(SignInResult.Success, await _host.WithAccountsAsync(async a => await a.CheckSignInPasswordAsync(await FindAsync(account.Id), TestAccounts.Password)));

        // Turned on again: a new key, so the old phone's codes and the old recovery codes are worthless.
        var newKey = await SetupKeyAsync(account.Id);
        Assert.NotEqual(key, newKey);
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.False((await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, CodeAt(key, _host.Time.GetUtcNow()), TestAccounts.Origin))).Succeeded);
        Assert.True((await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, CodeAt(newKey, _host.Time.GetUtcNow()), TestAccounts.Origin))).Succeeded);
        Assert.Equal(SecondStepResult.Wrong, await SecondStepAsync(account.Id, codes.RecoveryCodes[0]));
        Assert.Contains(await ActivityAsync(account.Id), e => e == ActivityAction.TwoFactorDisabled);
    }

    [Fact]
    public async Task PasswordRecovery_OnATwoStepAccount_AlsoNeedsTheSecondStep_AndChangesNothingWithout()
    {
        var (account, session, recoveryCode) = await _host.SignUpAsync();
        var key = await SetupKeyAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);
        Assert.True((await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, CodeAt(key, _host.Time.GetUtcNow()), TestAccounts.Origin))).Succeeded);
        var hashBefore = (await FindAsync(account.Id)).PasswordHash;
        const string NewPassword = "a brand new passphrase for the vault";

        var missing = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, recoveryCode, NewPassword, TestAccounts.Origin));
        var wrong = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, recoveryCode, NewPassword, TestAccounts.Origin, "123456"));
        Assert.False(missing.Succeeded);
        Assert.False(wrong.Succeeded);
        Assert.Contains(AccountService.SecondStepField, missing.Errors.Keys);
        Assert.Equal(hashBefore, (await FindAsync(account.Id)).PasswordHash);

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var right = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, recoveryCode, NewPassword, TestAccounts.Origin, CodeAt(key, _host.Time.GetUtcNow())));
        Assert.True(right.Succeeded, string.Join(" ", right.Errors.Values));
        right.Vault!.Dispose();
        Assert.NotEqual(hashBefore, (await FindAsync(account.Id)).PasswordHash);
    }

    [Fact]
    public async Task HeldVault_IsHandedOverOnlyToItsAccount_AndOnlyWithinFiveMinutes()
    {
        var (account, _, _) = await _host.SignUpAsync();
        var held = _host.Sessions.Hold(AccountService.Unlock(await FindAsync(account.Id), TestAccounts.Password));
        var late = _host.Sessions.Hold(AccountService.Unlock(await FindAsync(account.Id), TestAccounts.Password));
        var other = _host.Sessions.Hold(AccountService.Unlock(await FindAsync(account.Id), TestAccounts.Password));

        Assert.Null(_host.Sessions.TakeHeld(other, "someone-else"));
        using var vault = _host.Sessions.TakeHeld(held, account.Id);
        Assert.NotNull(vault);
        Assert.Null(_host.Sessions.TakeHeld(held, account.Id));
        _host.Time.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(_host.Sessions.TakeHeld(late, account.Id));
        Assert.Equal(0, _host.Sessions.HeldCount);
    }

    private static string CodeAt(string key, DateTimeOffset at) => TestAccounts.AuthenticatorCode(key, at);

    private async Task<(Account Account, string Key, VaultSession Session)> SignUpWithTwoStepAsync()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var key = await SetupKeyAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);
        var enabled = await WithTwoFactorAsync(account.Id, (tf, a) => tf.EnableAsync(a, session, CodeAt(key, _host.Time.GetUtcNow()), TestAccounts.Origin));
        Assert.True(enabled.Succeeded, enabled.Error);
        return (account, key, session);
    }

    private async Task<string> SetupKeyAsync(string accountId) =>
        (await WithTwoFactorAsync(accountId, (tf, a) => tf.GetSetupAsync(a))).Key;

    private Task<SecondStepResult> SecondStepAsync(string accountId, string code) =>
        WithTwoFactorAsync(accountId, (tf, a) => tf.VerifySecondStepAsync(a, code));

    private async Task<T> WithTwoFactorAsync<T>(string accountId, Func<TwoFactorService, Account, Task<T>> action)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<Account>>().FindByIdAsync(accountId);
        return await action(scope.ServiceProvider.GetRequiredService<TwoFactorService>(), account!);
    }

    private async Task<Account> FindAsync(string accountId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(a => a.Id == accountId);
    }

    private async Task<List<ActivityAction>> ActivityAsync(string accountId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Activity.Where(e => e.AccountId == accountId).Select(e => e.Action).ToListAsync();
    }
}
