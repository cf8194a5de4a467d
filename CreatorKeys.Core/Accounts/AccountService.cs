using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// Account life cycle around the vault: sign-up creates and wraps the vault key, unlocking
/// unwraps it, a password change re-wraps it (nothing is re-encrypted), and the recovery
/// code resets the password while keeping every value.
/// </summary>
/// <remarks>Uses ASP.NET Core Identity's <see cref="UserManager{TUser}"/>; create one per request or operation.</remarks>
public sealed class AccountService(
    UserManager<Account> users,
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ActivityService activity,
    TwoFactorService twoFactor,
    SecurityNoticeService notices,
    IOptions<AccountOptions> accountOptions,
    IOptions<VaultOptions> vaultOptions,
    PasswordWorkGate passwordWork,
    TimeProvider time)
{
    public const string EmailField = "Email";
    public const string PasswordField = "Password";
    public const string NewPasswordField = "NewPassword";
    public const string CurrentPasswordField = "CurrentPassword";
    public const string RecoveryCodeField = "RecoveryCode";
    public const string SecondStepField = "SecondStepCode";

    // Sign-up checks "is this the first account?" and then inserts; one at a time keeps that honest.
    private static readonly SemaphoreSlim SignUpGate = new(1, 1);
    private static Lazy<string>? _timingDummyHash;

    private int Iterations => vaultOptions.Value.KeyDerivationIterations;

    /// <summary>A password hash no one knows the password of, made once with the current settings.</summary>
    private Lazy<string> TimingDummyHash => _timingDummyHash ??= new Lazy<string>(() =>
        users.PasswordHasher.HashPassword(new Account(), Convert.ToBase64String(VaultCrypto.NewKey())));

    public async Task<bool> AnyAccountExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Whether a new account may be created now under the registration policy.</summary>
    public async Task<bool> IsSignUpOpenAsync(CancellationToken cancellationToken = default)
    {
        if (accountOptions.Value.Registration == RegistrationPolicy.Open)
        {
            return true;
        }

        return !await AnyAccountExistsAsync(cancellationToken);
    }

    /// <summary>
    /// Creates an account and its vault: a random vault key wrapped by the password and by a
    /// new recovery code. The code is returned once, for the emergency kit, and stored nowhere.
    /// </summary>
    public Task<AccountOutcome> SignUpAsync(string email, string password, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        InPasswordSlotAsync(() => SignUpInSlotAsync(email, password, origin, cancellationToken), cancellationToken);

    private async Task<AccountOutcome> SignUpInSlotAsync(string email, string password, RequestOrigin origin, CancellationToken cancellationToken)
    {
        await SignUpGate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsSignUpOpenAsync(cancellationToken))
            {
                return AccountOutcome.Failure(AccountOutcome.FormError,
                    "Sign-up is closed: this CreatorKeys already belongs to someone. Ask them to set Registration to Open if you need your own vault here.");
            }

            // The email goes in so zxcvbn counts it (and its parts) as an easy guess.
            var passwordErrors = await ValidatePasswordAsync(new Account { Email = email.Trim(), UserName = email.Trim() }, password);
            if (passwordErrors is not null)
            {
                return AccountOutcome.Failure(PasswordField, passwordErrors);
            }

            var account = new Account
            {
                UserName = email.Trim(),
                Email = email.Trim(),
                CreatedAt = time.GetUtcNow(),
            };
            var vault = new UnlockedVault(account.Id, VaultCrypto.NewKey());
            try
            {
                var recoveryCode = RecoveryCode.Generate();
                account.Vault = new VaultKeyWrap();
                WrapForPassword(account.Vault, vault, password);
                WrapForRecovery(account.Vault, vault, recoveryCode);

                var result = await users.CreateAsync(account, password);
                if (!result.Succeeded)
                {
                    vault.Dispose();
                    return AccountOutcome.Failure(ToFieldErrors(result));
                }

                await activity.RecordAsync(account.Id, ActivityAction.SignedUp, origin, cancellationToken: cancellationToken);
                return AccountOutcome.Success(account, vault, recoveryCode);
            }
            catch
            {
                vault.Dispose();
                throw;
            }
        }
        finally
        {
            SignUpGate.Release();
        }
    }

    /// <summary>Unwraps the vault key of an account whose password Identity has just verified.</summary>
    /// <exception cref="VaultCryptoException">The stored wrap is damaged or does not match the password.</exception>
    public static UnlockedVault Unlock(Account account, string password) =>
        UnlockedVault.Unwrap(account.Id, password, account.Vault.PasswordSalt, account.Vault.PasswordIterations, account.Vault.PasswordWrappedKey, KeyWrapKind.Password);

    /// <summary><see cref="Unlock"/> in a slot of the install's password-derivation gate.</summary>
    /// <exception cref="ServerBusyException">Too many passwords are being checked at once.</exception>
    public Task<UnlockedVault> UnlockAsync(Account account, string password, CancellationToken cancellationToken = default) =>
        passwordWork.RunAsync(() => Unlock(account, password), cancellationToken);

    /// <summary>
    /// Checks the password of a sign-in; wrong ones count toward the lockout. With two-step
    /// sign-in on, a right password answers <see cref="SignInResult.TwoFactorRequired"/> and
    /// leaves the count alone: only the second step clears it, so guessing codes after a
    /// stolen password still runs into the lockout.
    /// </summary>
    /// <exception cref="ServerBusyException">Too many passwords are being checked at once; nothing was counted.</exception>
    public Task<SignInResult> CheckSignInPasswordAsync(Account account, string password) =>
        passwordWork.RunAsync(() => CheckSignInPasswordInSlotAsync(account, password));

    private async Task<SignInResult> CheckSignInPasswordInSlotAsync(Account account, string password)
    {
        if (await users.IsLockedOutAsync(account))
        {
            return SignInResult.LockedOut;
        }

        if (await users.CheckPasswordAsync(account, password))
        {
            if (account.TwoFactorEnabled)
            {
                return SignInResult.TwoFactorRequired;
            }

            await users.ResetAccessFailedCountAsync(account);
            return SignInResult.Success;
        }

        await users.AccessFailedAsync(account);
        return await users.IsLockedOutAsync(account) ? SignInResult.LockedOut : SignInResult.Failed;
    }

    /// <summary>
    /// Spends the same time as checking a real password, so a sign-in with an unknown email
    /// does not answer faster than one with a known email and a wrong password.
    /// </summary>
    /// <exception cref="ServerBusyException">Too many passwords are being checked at once.</exception>
    public Task SpendPasswordCheckTimeAsync(string password) =>
        passwordWork.RunAsync(() => users.PasswordHasher.VerifyHashedPassword(new Account(), TimingDummyHash.Value, password));

    /// <summary>
    /// Changes the password and re-wraps the session's vault key under it, in the same write as
    /// the new password hash. The vault's values are untouched. Other sessions of the account
    /// are expected to be locked by the caller.
    /// </summary>
    public Task<AccountOutcome> ChangePasswordAsync(VaultSession session, string currentPassword, string newPassword, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        InPasswordSlotAsync(() => ChangePasswordInSlotAsync(session, currentPassword, newPassword, origin, cancellationToken), cancellationToken);

    private async Task<AccountOutcome> ChangePasswordInSlotAsync(VaultSession session, string currentPassword, string newPassword, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var account = await users.FindByIdAsync(session.AccountId);
        if (account is null)
        {
            return AccountOutcome.Failure(AccountOutcome.FormError, "Your account could not be found. Sign in again.");
        }

        var passwordErrors = await ValidatePasswordAsync(account, newPassword);
        if (passwordErrors is not null)
        {
            return AccountOutcome.Failure(NewPasswordField, passwordErrors);
        }

        var previous = account.Vault.Clone();
        var updated = account.Vault.Clone();
        WrapForPassword(updated, session.Vault, newPassword);
        updated.CopyTo(account.Vault);

        // Identity checks the current password, stores the new hash and our new wrap in one save.
        var result = await users.ChangePasswordAsync(account, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            previous.CopyTo(account.Vault);
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch))
                ? AccountOutcome.Failure(CurrentPasswordField, "That is not your current password.")
                : AccountOutcome.Failure(ToFieldErrors(result, NewPasswordField));
        }

        await activity.RecordAsync(account.Id, ActivityAction.PasswordChanged, origin, cancellationToken: cancellationToken);
        await notices.NotifyAsync(account.Id, SecurityNotice.PasswordChanged, origin, cancellationToken);
        return AccountOutcome.Success(account);
    }

    /// <summary>
    /// "Forgot password": the recovery code unwraps the vault key, the new password re-wraps
    /// it, and a new recovery code replaces the used one. Wrong codes count toward lockout.
    /// </summary>
    /// <remarks>An account with two-step sign-in also needs <paramref name="secondStepCode"/>: a code from its authenticator app or one of its two-step recovery codes.</remarks>
    public Task<AccountOutcome> ResetPasswordWithRecoveryCodeAsync(string email, string recoveryCode, string newPassword, RequestOrigin origin, string? secondStepCode = null, CancellationToken cancellationToken = default) =>
        InPasswordSlotAsync(() => ResetPasswordInSlotAsync(email, recoveryCode, newPassword, origin, secondStepCode, cancellationToken), cancellationToken);

    private async Task<AccountOutcome> ResetPasswordInSlotAsync(string email, string recoveryCode, string newPassword, RequestOrigin origin, string? secondStepCode, CancellationToken cancellationToken)
    {
        const string NoMatch = "That email and recovery code do not match. Check the code in your emergency kit.";
        var code = RecoveryCode.Normalize(recoveryCode);
        if (code is null)
        {
            return AccountOutcome.Failure(RecoveryCodeField, "A recovery code is 24 letters and digits, like ABCD-1234-EFGH-5678-JKMN-9PQR. Check your emergency kit.");
        }

        var account = await users.FindByEmailAsync(email.Trim());
        if (account is null)
        {
            VaultCrypto.DeriveKeyFromSecret(code, VaultCrypto.NewSalt(), Iterations);
            return AccountOutcome.Failure(RecoveryCodeField, NoMatch);
        }

        if (await users.IsLockedOutAsync(account))
        {
            return AccountOutcome.LockedOut(LockedOutMessage());
        }

        UnlockedVault vault;
        try
        {
            vault = UnlockedVault.Unwrap(account.Id, code, account.Vault.RecoverySalt, account.Vault.RecoveryIterations, account.Vault.RecoveryWrappedKey, KeyWrapKind.RecoveryCode);
        }
        catch (VaultCryptoException)
        {
            await users.AccessFailedAsync(account);
            await activity.RecordAsync(account.Id, ActivityAction.SignInFailed, origin, targetName: "Wrong recovery code", cancellationToken: cancellationToken);
            return await users.IsLockedOutAsync(account)
                ? AccountOutcome.LockedOut(LockedOutMessage())
                : AccountOutcome.Failure(RecoveryCodeField, NoMatch);
        }

        var passwordErrors = await ValidatePasswordAsync(account, newPassword);
        if (passwordErrors is not null)
        {
            vault.Dispose();
            return AccountOutcome.Failure(NewPasswordField, passwordErrors);
        }

        // Checked last, so a rejected new password does not use up a one-time code.
        if (account.TwoFactorEnabled)
        {
            var secondStep = await twoFactor.VerifySecondStepAsync(account, vault, secondStepCode);
            if (secondStep is SecondStepResult.Wrong or SecondStepResult.LockedOut)
            {
                vault.Dispose();
                await activity.RecordAsync(account.Id, ActivityAction.SignInFailed, origin, targetName: "Wrong two-step code with the recovery code", cancellationToken: cancellationToken);
                return secondStep == SecondStepResult.LockedOut
                    ? AccountOutcome.LockedOut(LockedOutMessage())
                    : AccountOutcome.Failure(SecondStepField, string.IsNullOrWhiteSpace(secondStepCode)
                        ? "This account uses two-step sign-in: type the code your authenticator app shows, or one of your two-step recovery codes."
                        : "That two-step code did not work. Type the code your authenticator app shows now, or an unused two-step recovery code.");
            }
        }

        var newCode = RecoveryCode.Generate();
        var previous = account.Vault.Clone();
        var updated = new VaultKeyWrap();
        WrapForPassword(updated, vault, newPassword);
        WrapForRecovery(updated, vault, newCode);
        updated.CopyTo(account.Vault);

        // One save: new password hash, both new wraps, and "kit not saved yet" for the new code.
        var token = await users.GeneratePasswordResetTokenAsync(account);
        var result = await users.ResetPasswordAsync(account, token, newPassword);
        if (!result.Succeeded)
        {
            previous.CopyTo(account.Vault);
            vault.Dispose();
            return AccountOutcome.Failure(ToFieldErrors(result, NewPasswordField));
        }

        await users.ResetAccessFailedCountAsync(account);
        await activity.RecordAsync(account.Id, ActivityAction.PasswordResetWithRecoveryCode, origin, cancellationToken: cancellationToken);
        await notices.NotifyAsync(account.Id, SecurityNotice.PasswordResetWithRecoveryCode, origin, cancellationToken);
        return AccountOutcome.Success(account, vault, newCode);
    }

    /// <summary>
    /// Replaces the recovery code (the old one stops working) and returns the new one for a
    /// fresh emergency kit. Used when the kit was never confirmed or the creator asks for a new one.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">
    /// The creator has not confirmed it's them in the last 10 minutes. Only a kit that was never saved and whose
    /// code is gone from memory (a restart before saving it) is re-issued without asking: that session could
    /// already read the pending code, so it gains nothing.
    /// </exception>
    /// <exception cref="ServerBusyException">Too many passwords are being checked at once; nothing changed.</exception>
    public Task<string> IssueNewRecoveryCodeAsync(VaultSession session, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        passwordWork.RunAsync(() => IssueNewRecoveryCodeInSlotAsync(session, origin, cancellationToken), cancellationToken);

    private async Task<string> IssueNewRecoveryCodeInSlotAsync(VaultSession session, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!(session.EmergencyKitPending && session.PendingRecoveryCode is null))
        {
            session.RequireConfirmation();
        }

        var code = RecoveryCode.Generate();

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.SingleAsync(a => a.Id == session.AccountId, cancellationToken);
        WrapForRecovery(account.Vault, session.Vault, code);
        activity.Stage(db, session.AccountId, ActivityAction.RecoveryCodeIssued, origin);
        await db.SaveChangesAsync(cancellationToken);

        session.PendingRecoveryCode = code;
        session.EmergencyKitPending = true;
        await notices.NotifyAsync(session.AccountId, SecurityNotice.EmergencyKitReplaced, origin, cancellationToken);
        return code;
    }

    /// <summary>
    /// Records that the creator saved the emergency kit showing <paramref name="shownCode"/>, and
    /// forgets the code from memory. False, changing nothing, when that code is no longer the
    /// current one (a newer code was issued in another window).
    /// </summary>
    public async Task<bool> ConfirmEmergencyKitSavedAsync(VaultSession session, string shownCode, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.Touch();
        if (!string.Equals(session.PendingRecoveryCode, shownCode, StringComparison.Ordinal))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.SingleAsync(a => a.Id == session.AccountId, cancellationToken);
        account.Vault.EmergencyKitSavedAt = time.GetUtcNow();
        activity.Stage(db, session.AccountId, ActivityAction.EmergencyKitSaved, origin);
        await db.SaveChangesAsync(cancellationToken);

        session.PendingRecoveryCode = null;
        session.EmergencyKitPending = false;
        return true;
    }

    /// <summary>Runs an account operation that stretches passwords in a slot of the derivation gate; "busy" when none is free in time.</summary>
    private async Task<AccountOutcome> InPasswordSlotAsync(Func<Task<AccountOutcome>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await passwordWork.RunAsync(operation, cancellationToken);
        }
        catch (ServerBusyException busy)
        {
            return AccountOutcome.Failure(AccountOutcome.FormError, busy.Message);
        }
    }

    public string LockedOutMessage() =>
        $"Too many wrong attempts. To protect your vault, signing in is paused for {CreatorKeys.Core.Text.Wording.Count(accountOptions.Value.LockoutMinutes, "minute")}. Try again after that.";

    internal void WrapForPassword(VaultKeyWrap wrap, UnlockedVault vault, string password)
    {
        wrap.PasswordSalt = VaultCrypto.NewSalt();
        wrap.PasswordIterations = Iterations;
        wrap.PasswordWrappedKey = vault.WrapVaultKey(password, wrap.PasswordSalt, Iterations, KeyWrapKind.Password);
    }

    /// <summary>Wraps for a new recovery code; its emergency kit is not saved yet.</summary>
    internal void WrapForRecovery(VaultKeyWrap wrap, UnlockedVault vault, string recoveryCode)
    {
        wrap.RecoverySalt = VaultCrypto.NewSalt();
        wrap.RecoveryIterations = Iterations;
        wrap.RecoveryWrappedKey = vault.WrapVaultKey(recoveryCode, wrap.RecoverySalt, Iterations, KeyWrapKind.RecoveryCode);
        wrap.RecoveryCodeIssuedAt = time.GetUtcNow();
        wrap.EmergencyKitSavedAt = null;
    }

    /// <summary>Runs Identity's password rules before anything is changed; null when the password is acceptable.</summary>
    internal async Task<string?> ValidatePasswordAsync(Account account, string password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Choose a password.";
        }

        var messages = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, account, password);
            messages.AddRange(result.Errors.Select(e => e.Description));
        }

        return messages.Count == 0 ? null : string.Join(" ", messages);
    }

    private static Dictionary<string, string> ToFieldErrors(IdentityResult result, string passwordField = PasswordField)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var error in result.Errors)
        {
            var field = error.Code switch
            {
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => passwordField,
                _ when error.Code.Contains("Email", StringComparison.Ordinal) || error.Code.Contains("UserName", StringComparison.Ordinal) => EmailField,
                _ => AccountOutcome.FormError,
            };
            errors[field] = errors.TryGetValue(field, out var existing) ? $"{existing} {error.Description}" : error.Description;
        }

        return errors;
    }
}
