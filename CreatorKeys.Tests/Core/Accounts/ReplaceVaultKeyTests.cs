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
/// "Replace my vault key" on the real services and a real SQLite file: every value and the two-step key move to a
/// new key, the old password and recovery wraps are gone (from the file too), the new emergency kit opens it, the
/// activity log stays sealed, other sessions are locked, and a wrong or weak password changes nothing.
/// </summary>
public sealed class ReplaceVaultKeyTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Replace_KeepingThePassword_EveryValueOpensUnderANewKey_AndTheOldWrapsAreGone()
    {
        var (account, session, oldCode) = await _host.SignUpAsync();
        var values = await AddKeysAsync(session, 5);
        var before = await SnapshotAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);

        var outcome = await ReplaceAsync(session, TestAccounts.Password);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        var after = await SnapshotAsync(account.Id);
        using var byPassword = AccountService.Unlock(after.Account, TestAccounts.Password);
        AssertEveryValueOpens(byPassword, after, values);
        // Each value was sealed again, not copied: none of the old ciphertexts or fingerprints is left.
        Assert.All(after.Keys, k => Assert.DoesNotContain(before.Keys, b => b.Ciphertext.SequenceEqual(k.Ciphertext) || b.Fingerprint.SequenceEqual(k.Fingerprint)));
        Assert.False(before.Account.Vault.PasswordWrappedKey.SequenceEqual(after.Account.Vault.PasswordWrappedKey));
        // The old vault key opens nothing stored now.
        using var oldVault = AccountService.Unlock(before.Account, TestAccounts.Password);
        Assert.All(after.Keys, k => Assert.Throws<VaultCryptoException>(() => oldVault.DecryptValue(k.Id, k.Environment, k.Ciphertext)));
        // The old emergency kit opens nothing; the new one opens the new key.
        Assert.Throws<VaultCryptoException>(() => UnwrapWithRecoveryCode(after.Account, oldCode));
        using var byNewKit = UnwrapWithRecoveryCode(after.Account, outcome.NewRecoveryCode!);
        AssertEveryValueOpens(byNewKit, after, values);
        Assert.Null(after.Account.Vault.EmergencyKitSavedAt);
        // This session goes on with the new key and holds the new kit until it is saved.
        Assert.False(session.IsLocked);
        Assert.Equal(values[after.Keys[0].Id], session.Vault.DecryptValue(after.Keys[0].Id, after.Keys[0].Environment, after.Keys[0].Ciphertext));
        Assert.True(session.EmergencyKitPending);
        Assert.Equal(outcome.NewRecoveryCode, session.PendingRecoveryCode);
        // Fingerprints follow the new key: the same value is still found as a duplicate.
        Assert.NotNull(await _host.Vault.FindSameValueAsync(session, values.Values.First()));
    }

    [Fact]
    public async Task Replace_TheOldWrapsAndValues_AreNotLeftInTheDataFolder()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await AddKeysAsync(session, 3);
        var before = await SnapshotAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);

        Assert.True((await ReplaceAsync(session, TestAccounts.Password)).Succeeded);

        // The old blobs are in none of the database files, read while the app still runs (as a copy of the data folder
        // would be): the write-ahead log is emptied after the commit. The rows keep their size and are rewritten in
        // place, so this passes without secure_delete too; that pragma covers freed space (decision 014).
        var files = Directory.GetFiles(_host.Folder.Path, "*", SearchOption.AllDirectories).Where(f => f.Contains(".db", StringComparison.Ordinal)).Select(File.ReadAllBytes).ToList();
        Assert.NotEmpty(files);
        foreach (var old in new[] { before.Account.Vault.PasswordWrappedKey, before.Account.Vault.RecoveryWrappedKey }.Concat(before.Keys.Select(k => k.Ciphertext)))
        {
            Assert.DoesNotContain(files, f => f.AsSpan().IndexOf(old) >= 0);
        }
    }

    [Fact]
    public async Task Replace_WithANewPassword_OnlyTheNewPasswordOpensTheVault()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var values = await AddKeysAsync(session, 2);
        await _host.Services.ConfirmItsYouAsync(session);

        var outcome = await ReplaceAsync(session, TestAccounts.Password, TestAccounts.NewPassword);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        var after = await SnapshotAsync(account.Id);
        using var byNew = AccountService.Unlock(after.Account, TestAccounts.NewPassword);
        AssertEveryValueOpens(byNew, after, values);
        Assert.Throws<VaultCryptoException>(() => AccountService.Unlock(after.Account, TestAccounts.Password));
        await using var scope = _host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var fresh = await scope.ServiceProvider.GetRequiredService<UserManager<Account>>().FindByIdAsync(account.Id);
        Assert.True((await accounts.CheckSignInPasswordAsync(fresh!, TestAccounts.NewPassword)).Succeeded);
        Assert.False((await accounts.CheckSignInPasswordAsync(fresh!, TestAccounts.Password)).Succeeded);
    }

    [Fact]
    public async Task Replace_WithTwoStepOn_TheAuthenticatorCodesStillVerify()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var authenticatorKey = await EnableTwoStepAsync(account.Id, session);
        var sealedBefore = await SealedAuthenticatorKeyAsync(account.Id);

        var outcome = await ReplaceAsync(session, TestAccounts.Password);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        var sealedAfter = await SealedAuthenticatorKeyAsync(account.Id);
        Assert.NotEqual(sealedBefore, sealedAfter);
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var after = await SnapshotAsync(account.Id);
        using var vault = AccountService.Unlock(after.Account, TestAccounts.Password);
        await using var scope = _host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<TwoFactorService>()
            .VerifySecondStepAsync(after.Account, vault, TestAccounts.AuthenticatorCode(authenticatorKey, _host.Time.GetUtcNow()));
        Assert.Equal(SecondStepResult.Accepted, result);
    }

    [Fact]
    public async Task Replace_IsRecorded_TheActivityLogStaysSealed_AndAnEmailSaysSo_WithoutAnySecret()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var values = await AddKeysAsync(session, 2);
        await _host.Services.ConfirmItsYouAsync(session);

        var outcome = await ReplaceAsync(session, TestAccounts.Password);

        var report = await _host.Services.GetRequiredService<ActivityChain>().VerifyAsync(account.Id);
        Assert.True(report.Intact, report.Message);
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var entry = await db.Activity.SingleAsync(e => e.AccountId == account.Id && e.Action == ActivityAction.VaultKeyReplaced);
        Assert.Equal("2 key values locked again", entry.TargetName);
        var email = await db.Outbox.SingleAsync(m => m.AccountId == account.Id && m.Subject == "Your CreatorKeys vault key was replaced");
        foreach (var secret in values.Values.Append(outcome.NewRecoveryCode!).Append(TestAccounts.Password))
        {
            Assert.DoesNotContain(secret, email.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, entry.TargetName ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Replace_LocksEveryOtherSessionOfTheAccount_ButNotThisOneOrOtherAccounts()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var snapshot = await SnapshotAsync(account.Id);
        var otherBrowser = _host.Sessions.Open(AccountService.Unlock(snapshot.Account, TestAccounts.Password), false);
        var heldSecondStep = _host.Sessions.Hold(AccountService.Unlock(snapshot.Account, TestAccounts.Password));
        var (_, someoneElse, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        await _host.Services.ConfirmItsYouAsync(session);

        Assert.True((await ReplaceAsync(session, TestAccounts.Password)).Succeeded);

        Assert.True(otherBrowser.IsLocked);
        Assert.Equal(VaultLockReason.VaultKeyReplaced, _host.Sessions.WhyClosed(otherBrowser.Id));
        Assert.Null(_host.Sessions.PeekHeld(heldSecondStep, account.Id));
        Assert.False(session.IsLocked);
        Assert.False(someoneElse.IsLocked);
    }

    [Fact]
    public async Task Replace_WrongPassword_WeakNewPassword_OrNoConfirmation_ChangesNothing_AndSaysSo()
    {
        var (account, session, oldCode) = await _host.SignUpAsync();
        var values = await AddKeysAsync(session, 2);
        var before = await SnapshotAsync(account.Id);
        var otherBrowser = _host.Sessions.Open(AccountService.Unlock(before.Account, TestAccounts.Password), false);

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => ReplaceAsync(session, TestAccounts.Password));
        await _host.Services.ConfirmItsYouAsync(session);
        var wrong = await ReplaceAsync(session, "not my password at all");
        var weak = await ReplaceAsync(session, TestAccounts.Password, "password1");
        var empty = await ReplaceAsync(session, "");

        Assert.Equal("That is not your current password. Nothing was changed.", wrong.Errors[AccountService.CurrentPasswordField]);
        Assert.EndsWith("Nothing was changed.", weak.Errors[AccountService.NewPasswordField], StringComparison.Ordinal);
        Assert.EndsWith("Nothing was changed.", empty.Errors[AccountService.CurrentPasswordField], StringComparison.Ordinal);
        var after = await SnapshotAsync(account.Id);
        AssertUnchanged(before, after);
        using var byOldKit = UnwrapWithRecoveryCode(after.Account, oldCode);
        AssertEveryValueOpens(byOldKit, after, values);
        Assert.False(otherBrowser.IsLocked);
        Assert.Equal(oldCode, session.PendingRecoveryCode);
    }

    [Fact]
    public async Task Replace_AValueTheKeyCannotOpen_RollsBackTheHalfAlreadyWritten()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var values = await AddKeysAsync(session, 4);
        // The last key in the order of the replacement is damaged: the first half is written before it fails.
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            var last = await db.ApiKeys.Where(k => k.AccountId == account.Id).OrderByDescending(k => k.Id).FirstAsync();
            last.Ciphertext[^1] ^= 0x01;
            db.Entry(last).Property(k => k.Ciphertext).IsModified = true;
            await db.SaveChangesAsync();
        }

        var before = await SnapshotAsync(account.Id);
        await _host.Services.ConfirmItsYouAsync(session);

        await Assert.ThrowsAsync<VaultCryptoException>(() => ReplaceAsync(session, TestAccounts.Password));

        AssertUnchanged(before, await SnapshotAsync(account.Id));
        Assert.False(session.IsLocked);
        var first = before.Keys[0];
        Assert.Equal(values[first.Id], session.Vault.DecryptValue(first.Id, first.Environment, first.Ciphertext));
    }

    private async Task<AccountOutcome> ReplaceAsync(VaultSession session, string currentPassword, string? newPassword = null)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReplaceVaultKeyCommand>().ReplaceAsync(session, currentPassword, newPassword, TestAccounts.Origin);
    }

    private async Task<Dictionary<Guid, string>> AddKeysAsync(VaultSession session, int count)
    {
        var values = new Dictionary<Guid, string>();
        var environments = Enum.GetValues<VaultEnvironment>();
        for (var i = 0; i < count; i++)
        {
            var value = TestAccounts.NewKeyValue();
            var key = await _host.AddKeyAsync(session, value, environments[i % environments.Length]);
            values[key.Id] = value;
        }

        return values;
    }

    private async Task<string> EnableTwoStepAsync(string accountId, VaultSession session)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var twoFactor = scope.ServiceProvider.GetRequiredService<TwoFactorService>();
        var account = (await users.FindByIdAsync(accountId))!;
        var key = (await twoFactor.GetSetupAsync(account, session.Vault)).Key;
        await _host.Services.ConfirmItsYouAsync(session);
        var enabled = await twoFactor.EnableAsync((await users.FindByIdAsync(accountId))!, session, TestAccounts.AuthenticatorCode(key, _host.Time.GetUtcNow()), TestAccounts.Origin);
        Assert.True(enabled.Succeeded, enabled.Error);
        return key;
    }

    private async Task<byte[]> SealedAuthenticatorKeyAsync(string accountId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.TwoStepSecrets.Where(s => s.AccountId == accountId).Select(s => s.SealedAuthenticatorKey).SingleAsync();
    }

    private async Task<Snapshot> SnapshotAsync(string accountId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().SingleAsync(a => a.Id == accountId);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).OrderBy(k => k.Id).ToListAsync();
        return new Snapshot(account, keys);
    }

    private static UnlockedVault UnwrapWithRecoveryCode(Account account, string code) =>
        UnlockedVault.Unwrap(account.Id, RecoveryCode.Normalize(code)!, account.Vault.RecoverySalt, account.Vault.RecoveryIterations, account.Vault.RecoveryWrappedKey, KeyWrapKind.RecoveryCode);

    private static void AssertEveryValueOpens(UnlockedVault vault, Snapshot snapshot, Dictionary<Guid, string> values)
    {
        Assert.Equal(values.Count, snapshot.Keys.Count);
        foreach (var key in snapshot.Keys)
        {
            var value = vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
            Assert.Equal(values[key.Id], value);
            Assert.Equal(vault.Fingerprint(value), key.Fingerprint);
        }
    }

    private static void AssertUnchanged(Snapshot before, Snapshot after)
    {
        Assert.Equal(before.Account.Vault.PasswordWrappedKey, after.Account.Vault.PasswordWrappedKey);
        Assert.Equal(before.Account.Vault.RecoveryWrappedKey, after.Account.Vault.RecoveryWrappedKey);
        Assert.Equal(before.Account.PasswordHash, after.Account.PasswordHash);
        Assert.Equal(before.Keys.Select(k => k.Ciphertext), after.Keys.Select(k => k.Ciphertext));
        Assert.Equal(before.Keys.Select(k => k.Fingerprint), after.Keys.Select(k => k.Fingerprint));
    }

    private sealed record Snapshot(Account Account, List<ApiKey> Keys);
}
