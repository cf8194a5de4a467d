using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// Two-step sign-in with an authenticator app, on ASP.NET Core Identity: the shared key, the
/// on/off switch, one-time recovery codes, and checking the second step of a sign-in.
/// Failed second steps count toward the same lockout as wrong passwords.
/// </summary>
/// <remarks>Uses Identity's <see cref="UserManager{TUser}"/>; one per request or operation.</remarks>
public sealed class TwoFactorService(UserManager<Account> users, ActivityService activity, SecurityNoticeService notices, IOptions<AccountOptions> options)
{
    public const int RecoveryCodeCount = 10;
    public const string Issuer = "CreatorKeys";
    public const string CodeField = "Code";

    /// <summary>Whether this install requires every account to use two-step sign-in.</summary>
    public bool Required => options.Value.RequireTwoFactor;

    public async Task<TwoFactorStatus> GetStatusAsync(Account account) =>
        new(account.TwoFactorEnabled, account.TwoFactorEnabled ? await users.CountRecoveryCodesAsync(account) : 0, Required);

    /// <summary>
    /// The key to put into the authenticator app, made on first use. Making one changes the
    /// account's security stamp: the caller re-issues the sign-in cookie.
    /// </summary>
    public async Task<AuthenticatorSetup> GetSetupAsync(Account account)
    {
        var key = await users.GetAuthenticatorKeyAsync(account);
        var created = false;
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(account);
            key = await users.GetAuthenticatorKeyAsync(account) ?? throw new InvalidOperationException("Identity made no authenticator key.");
            created = true;
        }

        var label = Uri.EscapeDataString($"{Issuer}:{account.Email}");
        var uri = $"otpauth://totp/{label}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        return new AuthenticatorSetup(key, FormatKey(key), uri, created);
    }

    /// <summary>Turns two-step sign-in on once a code from the app proves it is set up; returns the recovery codes.</summary>
    /// <exception cref="ConfirmationRequiredException">The session has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<TwoFactorOutcome> EnableAsync(Account account, VaultSession session, string code, RequestOrigin origin)
    {
        RequireConfirmation(account, session);
        if (account.TwoFactorEnabled)
        {
            return TwoFactorOutcome.Failure(CodeField, "Two-step sign-in is already on.");
        }

        if (AuthenticatorCodeProvider.Normalize(code) is null)
        {
            return TwoFactorOutcome.Failure(CodeField, "Type the 6-digit code your authenticator app shows for CreatorKeys.");
        }

        if (!await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            return TwoFactorOutcome.Failure(CodeField, "That code did not match. Check that the app shows CreatorKeys and your email, and type the code it shows now (it changes every 30 seconds).");
        }

        await users.SetTwoFactorEnabledAsync(account, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? [];
        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorEnabled, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorEnabled, origin);
        return TwoFactorOutcome.Success(codes.ToList());
    }

    /// <summary>New recovery codes (the old ones stop working), within a "confirm it's you" window.</summary>
    /// <exception cref="ConfirmationRequiredException">The session has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<TwoFactorOutcome> NewRecoveryCodesAsync(Account account, VaultSession session, RequestOrigin origin)
    {
        RequireConfirmation(account, session);
        if (!account.TwoFactorEnabled)
        {
            return TwoFactorOutcome.Failure(CodeField, "Turn on two-step sign-in first.");
        }

        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? [];
        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorRecoveryCodesReplaced, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorRecoveryCodesReplaced, origin);
        return TwoFactorOutcome.Success(codes.ToList());
    }

    /// <summary>
    /// Turns two-step sign-in off and forgets the app's key and the recovery codes, after the
    /// password is confirmed. Where the install requires it, the creator is asked to set it up
    /// again straight away (the way to move to a new phone).
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The session has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<TwoFactorOutcome> DisableAsync(Account account, VaultSession session, RequestOrigin origin)
    {
        RequireConfirmation(account, session);
        if (!account.TwoFactorEnabled)
        {
            return TwoFactorOutcome.Failure(CodeField, "Two-step sign-in is already off.");
        }

        await users.SetTwoFactorEnabledAsync(account, false);
        await users.ResetAuthenticatorKeyAsync(account);
        await users.RemoveAuthenticationTokenAsync(account, AuthenticatorCodeProvider.TokenLoginProvider, AuthenticatorCodeProvider.LastStepTokenName);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 0);
        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorDisabled, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorDisabled, origin);
        return TwoFactorOutcome.Success([]);
    }

    /// <summary>
    /// The second step of a sign-in (or of a password recovery): a code from the app, or one of
    /// the recovery codes, which is then used up. Wrong codes count toward the lockout.
    /// </summary>
    public async Task<SecondStepResult> VerifySecondStepAsync(Account account, string? code)
    {
        if (await users.IsLockedOutAsync(account))
        {
            return SecondStepResult.LockedOut;
        }

        var trimmed = (code ?? "").Trim();
        var accepted = false;
        var usedRecoveryCode = false;
        if (AuthenticatorCodeProvider.Normalize(trimmed) is not null)
        {
            accepted = await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, trimmed);
        }
        else if (NormalizeRecoveryCode(trimmed) is { } recoveryCode)
        {
            accepted = (await users.RedeemTwoFactorRecoveryCodeAsync(account, recoveryCode)).Succeeded;
            usedRecoveryCode = accepted;
        }

        if (!accepted)
        {
            await users.AccessFailedAsync(account);
            return await users.IsLockedOutAsync(account) ? SecondStepResult.LockedOut : SecondStepResult.Wrong;
        }

        await users.ResetAccessFailedCountAsync(account);
        return usedRecoveryCode ? SecondStepResult.AcceptedRecoveryCode : SecondStepResult.Accepted;
    }

    /// <summary>Two-step changes happen only in a "confirm it's you" window of this account's own session.</summary>
    private static void RequireConfirmation(Account account, VaultSession session)
    {
        if (session.AccountId != account.Id)
        {
            throw new InvalidOperationException("The vault session belongs to another account.");
        }

        session.RequireConfirmation();
    }

    /// <summary>Identity's recovery codes look like <c>ABCDE-12345</c>; accept any case, spaces, a missing dash.</summary>
    public static string? NormalizeRecoveryCode(string code)
    {
        if (code.Length > 40)
        {
            return null;
        }

        var compact = new string(code.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return compact.Length == 10 ? $"{compact[..5]}-{compact[5..]}" : null;
    }

    /// <summary>The key in groups of four, easier to type into a phone: "ABCD EFGH …".</summary>
    public static string FormatKey(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }

        return text.ToString().ToLowerInvariant();
    }
}

public sealed record TwoFactorStatus(bool Enabled, int RecoveryCodesLeft, bool Required);

public sealed record AuthenticatorSetup(string Key, string FormattedKey, string OtpAuthUri, bool KeyWasCreated);

public enum SecondStepResult
{
    Accepted,
    AcceptedRecoveryCode,
    Wrong,
    LockedOut,
}

public sealed record TwoFactorOutcome(bool Succeeded, IReadOnlyList<string> RecoveryCodes, string? Field, string? Error)
{
    public static TwoFactorOutcome Success(IReadOnlyList<string> codes) => new(true, codes, null, null);

    public static TwoFactorOutcome Failure(string field, string error) => new(false, [], field, error);
}
