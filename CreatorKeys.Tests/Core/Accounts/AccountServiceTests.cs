using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Accounts;

public sealed class AccountServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task SignUp_StoresOnlyWrappedVaultKeyWithStrongDerivation()
    {
        var (account, session, code) = await _host.SignUpAsync();

        var stored = await LoadAccountAsync(account.Id);
        Assert.Equal(VaultCrypto.MinimumIterations, stored.Vault.PasswordIterations);
        Assert.Equal(VaultCrypto.MinimumIterations, stored.Vault.RecoveryIterations);
        Assert.Equal(16, stored.Vault.PasswordSalt.Length);
        Assert.NotEqual(stored.Vault.PasswordSalt, stored.Vault.RecoverySalt);
        Assert.Equal(1 + 12 + 16 + 32, stored.Vault.PasswordWrappedKey.Length);
        Assert.Null(stored.Vault.EmergencyKitSavedAt);
        Assert.NotNull(RecoveryCode.Normalize(code));
        Assert.False(session.Vault.IsLocked);
        // Identity's own password hash costs as much as the vault wrap (PBKDF2 iterations in its V3 header).
        var hash = Convert.FromBase64String(stored.PasswordHash!);
        Assert.Equal(VaultCrypto.MinimumIterations, (hash[5] << 24) | (hash[6] << 16) | (hash[7] << 8) | hash[8]);
    }

    [Fact]
    public async Task Unlock_RightPassword_OpensValuesStoredAtSignUp()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var value = TestAccounts.NewKeyValue();
        // DEV: revealing it needs no "confirm it's you", which is not what these tests are about.
        var key = await _host.AddKeyAsync(session, value, VaultEnvironment.Dev);

        using var unlocked = AccountService.Unlock(await LoadAccountAsync(account.Id), TestAccounts.Password);

        var reopened = _host.Sessions.Open(unlocked, false);
        Assert.Equal(value, await _host.Vault.RevealAsync(reopened, key.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Unlock_WrongPassword_ThrowsClearError()
    {
        var (account, _, _) = await _host.SignUpAsync();

        var error = Assert.Throws<VaultCryptoException>(() => AccountService.Unlock(account, "wrong password entirely"));

        Assert.DoesNotContain("wrong password entirely", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_SecondAccountUnderFirstAccountOnly_IsRefused()
    {
        await _host.SignUpAsync();

        var outcome = await _host.WithAccountsAsync(a => a.SignUpAsync(TestAccounts.OtherEmail, TestAccounts.Password, TestAccounts.Origin));

        Assert.False(outcome.Succeeded);
        Assert.Contains("Sign-up is closed", outcome.Errors[AccountOutcome.FormError], StringComparison.Ordinal);
        Assert.Equal(1, await CountAccountsAsync());
        Assert.False(await _host.WithAccountsAsync(a => a.IsSignUpOpenAsync()));
    }

    [Fact]
    public async Task SignUp_UnderOpenRegistration_AllowsMoreAccounts()
    {
        await using var open = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        await open.SignUpAsync(TestAccounts.Email);

        await open.SignUpAsync(TestAccounts.OtherEmail);

        Assert.True(await open.WithAccountsAsync(a => a.IsSignUpOpenAsync()));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("")]
    public async Task SignUp_WeakPassword_ExplainsOnPasswordFieldAndCreatesNothing(string password)
    {
        var outcome = await _host.WithAccountsAsync(a => a.SignUpAsync(TestAccounts.Email, password, TestAccounts.Origin));

        Assert.False(outcome.Succeeded);
        Assert.True(outcome.Errors.ContainsKey(AccountService.PasswordField));
        Assert.Equal(0, await CountAccountsAsync());
    }

    [Fact]
    public async Task SignUp_DuplicateEmail_ExplainsOnEmailField()
    {
        await using var open = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        await open.SignUpAsync(TestAccounts.Email);

        var outcome = await open.WithAccountsAsync(a => a.SignUpAsync(TestAccounts.Email, TestAccounts.Password, TestAccounts.Origin));

        Assert.True(outcome.Errors.ContainsKey(AccountService.EmailField));
    }

    [Fact]
    public async Task ChangePassword_RewrapsKey_ValuesIntact_OldPasswordFails()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var value = TestAccounts.NewKeyValue();
        // DEV: revealing it needs no "confirm it's you", which is not what these tests are about.
        var key = await _host.AddKeyAsync(session, value, VaultEnvironment.Dev);
        var ciphertextBefore = await CiphertextAsync(key.Id);

        var outcome = await _host.WithAccountsAsync(a => a.ChangePasswordAsync(session, TestAccounts.Password, TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        var stored = await LoadAccountAsync(account.Id);
        Assert.Throws<VaultCryptoException>(() => AccountService.Unlock(stored, TestAccounts.Password));
        using var unlocked = AccountService.Unlock(stored, TestAccounts.NewPassword);
        Assert.Equal(value, await _host.Vault.RevealAsync(_host.Sessions.Open(unlocked, false), key.Id, TestAccounts.Origin));
        Assert.Equal(ciphertextBefore, await CiphertextAsync(key.Id));
        Assert.True(await CheckIdentityPasswordAsync(account.Id, TestAccounts.NewPassword));
        Assert.False(await CheckIdentityPasswordAsync(account.Id, TestAccounts.Password));
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_ChangesNothing()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var before = await LoadAccountAsync(account.Id);

        var outcome = await _host.WithAccountsAsync(a => a.ChangePasswordAsync(session, "not the password", TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.Equal("That is not your current password.", outcome.Errors[AccountService.CurrentPasswordField]);
        var after = await LoadAccountAsync(account.Id);
        Assert.Equal(before.Vault.PasswordWrappedKey, after.Vault.PasswordWrappedKey);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
    }

    [Fact]
    public async Task ChangePassword_TooShortNewPassword_ChangesNothing()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var before = await LoadAccountAsync(account.Id);

        var outcome = await _host.WithAccountsAsync(a => a.ChangePasswordAsync(session, TestAccounts.Password, "tiny", TestAccounts.Origin));

        Assert.True(outcome.Errors.ContainsKey(AccountService.NewPasswordField));
        Assert.Equal(before.Vault.PasswordWrappedKey, (await LoadAccountAsync(account.Id)).Vault.PasswordWrappedKey);
    }

    [Fact]
    public async Task RecoveryCode_ResetsPassword_ValuesIntact_OldPasswordAndOldCodeFail()
    {
        var (account, session, code) = await _host.SignUpAsync();
        Assert.True(await _host.WithAccountsAsync(a => a.ConfirmEmergencyKitSavedAsync(session, code, TestAccounts.Origin)));
        var value = TestAccounts.NewKeyValue();
        var key = await _host.AddKeyAsync(session, value, VaultEnvironment.Dev);

        var outcome = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, code.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal), TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        Assert.NotEqual(code, outcome.NewRecoveryCode);
        Assert.Equal(value, await _host.Vault.RevealAsync(_host.Sessions.Open(outcome.Vault!, false), key.Id, TestAccounts.Origin));
        var stored = await LoadAccountAsync(account.Id);
        Assert.Throws<VaultCryptoException>(() => AccountService.Unlock(stored, TestAccounts.Password));
        Assert.False(await CheckIdentityPasswordAsync(account.Id, TestAccounts.Password));
        Assert.True(await CheckIdentityPasswordAsync(account.Id, TestAccounts.NewPassword));

        // The new code's kit is not saved yet, so the next sign-in shows it again.
        Assert.Null(stored.Vault.EmergencyKitSavedAt);
        var reuse = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, code, "yet another long password", TestAccounts.Origin));
        Assert.False(reuse.Succeeded);
        var fresh = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, outcome.NewRecoveryCode!, "yet another long password", TestAccounts.Origin));
        Assert.True(fresh.Succeeded);
    }

    [Fact]
    public async Task RecoveryCode_Wrong_ChangesNothingAndCountsTowardLockout()
    {
        var (account, _, code) = await _host.SignUpAsync();
        var before = await LoadAccountAsync(account.Id);
        var wrongCode = RecoveryCode.Generate();

        AccountOutcome outcome = default!;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            outcome = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, wrongCode, TestAccounts.NewPassword, TestAccounts.Origin));
            Assert.False(outcome.Succeeded);
        }

        Assert.True(outcome.IsLockedOut);
        var after = await LoadAccountAsync(account.Id);
        Assert.Equal(before.PasswordHash, after.PasswordHash);
        Assert.Equal(before.Vault.RecoveryWrappedKey, after.Vault.RecoveryWrappedKey);
        // Even the right code is refused while locked out.
        var right = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, code, TestAccounts.NewPassword, TestAccounts.Origin));
        Assert.True(right.IsLockedOut);
    }

    [Fact]
    public async Task RecoveryCode_Malformed_ExplainsTheShape()
    {
        await _host.SignUpAsync();

        var outcome = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, "1234", TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.Contains("24 letters and digits", outcome.Errors[AccountService.RecoveryCodeField], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryCode_UnknownEmail_SameMessageAsWrongCode()
    {
        var (_, _, code) = await _host.SignUpAsync();

        var unknown = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync("nobody@example.com", code, TestAccounts.NewPassword, TestAccounts.Origin));
        var wrong = await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, RecoveryCode.Generate(), TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.Equal(wrong.Errors[AccountService.RecoveryCodeField], unknown.Errors[AccountService.RecoveryCodeField]);
    }

    [Fact]
    public async Task IssueNewRecoveryCode_OldCodeStopsWorking_KitMustBeConfirmedAgain()
    {
        var (account, session, oldCode) = await _host.SignUpAsync();
        await _host.WithAccountsAsync(async a =>
        {
            return await a.ConfirmEmergencyKitSavedAsync(session, session.PendingRecoveryCode!, TestAccounts.Origin);
        });
        Assert.NotNull((await LoadAccountAsync(account.Id)).Vault.EmergencyKitSavedAt);
        Assert.False(session.EmergencyKitPending);
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin)));
        Assert.NotNull((await LoadAccountAsync(account.Id)).Vault.EmergencyKitSavedAt);
        await _host.Services.ConfirmItsYouAsync(session);

        var newCode = await _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin));

        Assert.NotEqual(oldCode, newCode);
        Assert.Equal(newCode, session.PendingRecoveryCode);
        Assert.True(session.EmergencyKitPending);
        Assert.Null((await LoadAccountAsync(account.Id)).Vault.EmergencyKitSavedAt);
        Assert.False((await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, oldCode, TestAccounts.NewPassword, TestAccounts.Origin))).Succeeded);
        Assert.True((await _host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, newCode, TestAccounts.NewPassword, TestAccounts.Origin))).Succeeded);
    }

    [Fact]
    public async Task IssueNewRecoveryCode_ForAKitNeverSavedWhoseCodeWasLost_NeedsNoConfirmation()
    {
        var (account, _, _) = await _host.SignUpAsync();
        // As after a restart before the kit was saved: the session knows the kit is pending, not its code.
        var session = _host.Sessions.Open(AccountService.Unlock(await LoadAccountAsync(account.Id), TestAccounts.Password), emergencyKitPending: true);

        var code = await _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin));

        Assert.Equal(code, session.PendingRecoveryCode);
        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin)));
    }

    [Fact]
    public async Task ConfirmEmergencyKit_ForgetsCodeFromMemory()
    {
        var (account, session, _) = await _host.SignUpAsync();
        Assert.NotNull(session.PendingRecoveryCode);

        await _host.WithAccountsAsync(async a =>
        {
            return await a.ConfirmEmergencyKitSavedAsync(session, session.PendingRecoveryCode!, TestAccounts.Origin);
        });

        Assert.Null(session.PendingRecoveryCode);
        Assert.Equal(_host.Time.GetUtcNow(), (await LoadAccountAsync(account.Id)).Vault.EmergencyKitSavedAt);
    }

    [Fact]
    public async Task ConfirmEmergencyKit_ForACodeThatWasReplaced_ChangesNothing()
    {
        var (account, session, shownInFirstWindow) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var shownInSecondWindow = await _host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin));

        var confirmed = await _host.WithAccountsAsync(a => a.ConfirmEmergencyKitSavedAsync(session, shownInFirstWindow, TestAccounts.Origin));

        Assert.False(confirmed);
        Assert.Equal(shownInSecondWindow, session.PendingRecoveryCode);
        Assert.True(session.EmergencyKitPending);
        Assert.Null((await LoadAccountAsync(account.Id)).Vault.EmergencyKitSavedAt);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_LeavesTrackedAccountAsItWas()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await using var scope = _host.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();

        await accounts.ChangePasswordAsync(session, "not the password", TestAccounts.NewPassword, TestAccounts.Origin);
        // Anything else saved in the same request must not carry the refused change along.
        var db = scope.ServiceProvider.GetRequiredService<CreatorKeysDbContext>();
        await db.SaveChangesAsync();

        using var unlocked = AccountService.Unlock(await LoadAccountAsync(account.Id), TestAccounts.Password);
        Assert.False(unlocked.IsLocked);
    }

    private async Task<Account> LoadAccountAsync(string id)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private async Task<int> CountAccountsAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.CountAsync();
    }

    private async Task<byte[]> CiphertextAsync(Guid keyId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.Ciphertext).SingleAsync();
    }

    private async Task<bool> CheckIdentityPasswordAsync(string accountId, string password)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(accountId))!, password);
    }
}
