using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// "Confirm it's you" (GitHub's sudo mode): the password, or with two-step sign-in on a code from the
/// authenticator app, opens a 10-minute window on this vault session for the actions that mint access or pour
/// out values. The actions check the window themselves (<see cref="VaultSession.RequireConfirmation"/>); this
/// only opens it. Wrong answers count toward the same lockout as sign-in.
/// </summary>
/// <remarks>
/// The password goes through the same check as sign-in (<see cref="AccountService.CheckSignInPasswordAsync"/>):
/// one PBKDF2 derivation at the vault's iteration count, about as costly as a sign-in, so it is no cheaper
/// door for guessing. A code goes through <see cref="TwoFactorService.VerifySecondStepAsync"/> (one step either
/// side, never the same code twice). Uses Identity's <see cref="UserManager{TUser}"/>: one per request or operation.
/// </remarks>
public sealed class ConfirmationService(
    UserManager<Account> users,
    AccountService accounts,
    TwoFactorService twoFactor,
    ActivityService activity,
    TimeProvider time)
{
    /// <summary>Whether this account may answer with an authenticator code (two-step sign-in is on).</summary>
    public async Task<bool> AcceptsAuthenticatorCodeAsync(VaultSession session) =>
        await users.FindByIdAsync(session.AccountId) is { TwoFactorEnabled: true };

    /// <summary>
    /// Checks the password (or, with two-step sign-in on, a 6-digit code from the app) and opens the window
    /// for <see cref="VaultSession.ConfirmationWindow"/>. A wrong answer changes nothing but the lockout count.
    /// </summary>
    public async Task<ConfirmationResult> ConfirmAsync(VaultSession session, string? passwordOrCode, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.Touch();
        var account = await users.FindByIdAsync(session.AccountId);
        if (account is null)
        {
            throw new VaultLockedException("Your account could not be found. Sign in again.");
        }

        if (await users.IsLockedOutAsync(account))
        {
            return ConfirmationResult.LockedOut(await LockedOutMessageAsync(account));
        }

        var answer = passwordOrCode ?? "";
        if (answer.Length == 0)
        {
            return ConfirmationResult.Wrong(account.TwoFactorEnabled
                ? "Type your password, or the 6-digit code your authenticator app shows."
                : "Type your password.");
        }

        bool right;
        if (account.TwoFactorEnabled && AuthenticatorCodeProvider.Normalize(answer) is not null)
        {
            // Passwords are at least 8 characters, so 6 digits can only be an app code; recovery codes are kept for signing in.
            right = await twoFactor.VerifySecondStepAsync(account, answer) is SecondStepResult.Accepted;
        }
        else
        {
            right = await accounts.CheckSignInPasswordAsync(account, answer) is { Succeeded: true } or { RequiresTwoFactor: true };
        }

        if (!right)
        {
            await activity.RecordAsync(account.Id, ActivityAction.SignInFailed, origin, targetName: "Wrong answer to “confirm it's you”", cancellationToken: cancellationToken);
            return await users.IsLockedOutAsync(account)
                ? ConfirmationResult.LockedOut(await LockedOutMessageAsync(account))
                : ConfirmationResult.Wrong(account.TwoFactorEnabled
                    ? "That is not your password, or not the code your app shows now. Try again."
                    : "That is not your password. Try again.");
        }

        session.MarkConfirmed();
        return ConfirmationResult.Confirmed(session.ConfirmedUntil!.Value);
    }

    /// <summary>Says in plain words when the lockout ends (Identity sets it from the wall clock).</summary>
    private async Task<string> LockedOutMessageAsync(Account account)
    {
        var end = await users.GetLockoutEndDateAsync(account);
        if (end is null)
        {
            return accounts.LockedOutMessage();
        }

        var minutes = Math.Max(1, (int)Math.Ceiling((end.Value - time.GetUtcNow()).TotalMinutes));
        return $"Too many wrong attempts. To protect your vault, confirming it's you (and signing in) is paused: try again in about {minutes} minute{(minutes == 1 ? "" : "s")}, after {end.Value.UtcDateTime:HH:mm} UTC.";
    }
}

/// <summary>The answer to "confirm it's you": open until a time, or a plain message for the creator.</summary>
public sealed record ConfirmationResult(bool Succeeded, bool IsLockedOut, DateTimeOffset? Until, string? Error)
{
    public static ConfirmationResult Confirmed(DateTimeOffset until) => new(true, false, until, null);

    public static ConfirmationResult Wrong(string error) => new(false, false, null, error);

    public static ConfirmationResult LockedOut(string error) => new(false, true, null, error);
}
