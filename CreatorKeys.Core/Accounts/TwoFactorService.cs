using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpNet;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// Two-step sign-in with an authenticator app: the shared key, the on/off switch, one-time
/// recovery codes, and checking the second step of a sign-in. The key is stored sealed under a
/// key derived from the vault key, so it is read only with the vault unlocked (the password step
/// of a sign-in, the emergency kit of a recovery, or a signed-in session); the recovery codes are
/// stored as salted hashes and deleted when used. Identity keeps only the on/off switch and the
/// lockout count. Failed second steps count toward the same lockout as wrong passwords.
/// </summary>
/// <remarks>Uses Identity's <see cref="UserManager{TUser}"/>; one per request or operation.</remarks>
public sealed class TwoFactorService(
    UserManager<Account> users,
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ActivityService activity,
    SecurityNoticeService notices,
    TimeProvider time,
    ILogger<TwoFactorService> logger,
    IOptions<AccountOptions> options)
{
    public const int RecoveryCodeCount = 10;
    public const string Issuer = "CreatorKeys";
    public const string CodeField = "Code";

    /// <summary>Where Identity's default store kept the key and the codes in the clear (read only to move them).</summary>
    internal const string LegacyLoginProvider = "[AspNetUserStore]";
    internal const string LegacyKeyName = "AuthenticatorKey";
    internal const string LegacyCodesName = "RecoveryCodes";
    internal const string LegacyStepLoginProvider = "[CreatorKeys]";
    internal const string LegacyStepName = "AuthenticatorLastStep";

    /// <summary>Whether this install requires every account to use two-step sign-in.</summary>
    public bool Required => options.Value.RequireTwoFactor;

    public async Task<TwoFactorStatus> GetStatusAsync(Account account)
    {
        if (!account.TwoFactorEnabled)
        {
            return new(false, 0, Required);
        }

        await using var db = await dbFactory.CreateDbContextAsync();
        return new(true, await db.TwoStepRecoveryCodes.CountAsync(c => c.AccountId == account.Id), Required);
    }

    /// <summary>
    /// The key to put into the authenticator app, made on first use and stored sealed by the
    /// unlocked <paramref name="vault"/>. Making one changes the account's security stamp: the
    /// caller re-issues the sign-in cookie.
    /// </summary>
    public async Task<AuthenticatorSetup> GetSetupAsync(Account account, UnlockedVault vault)
    {
        await SealLegacySecretsAsync(account.Id, vault);
        await using var db = await dbFactory.CreateDbContextAsync();
        var secret = await db.TwoStepSecrets.SingleOrDefaultAsync(s => s.AccountId == account.Id);
        var created = false;
        byte[] key;
        if (secret is null)
        {
            key = RandomNumberGenerator.GetBytes(AuthenticatorCodes.KeyBytes);
            db.TwoStepSecrets.Add(new TwoStepSecret { AccountId = account.Id, SealedAuthenticatorKey = vault.SealAuthenticatorKey(key) });
            await db.SaveChangesAsync();
            await users.UpdateSecurityStampAsync(account);
            created = true;
        }
        else
        {
            key = vault.OpenAuthenticatorKey(secret.SealedAuthenticatorKey);
        }

        var text = AuthenticatorCodes.ToBase32(key);
        CryptographicOperations.ZeroMemory(key);
        var label = Uri.EscapeDataString($"{Issuer}:{account.Email}");
        var uri = $"otpauth://totp/{label}?secret={text}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30";
        return new AuthenticatorSetup(text, FormatKey(text), uri, created);
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

        if (AuthenticatorCodes.Normalize(code) is null)
        {
            return TwoFactorOutcome.Failure(CodeField, "Type the 6-digit code your authenticator app shows for CreatorKeys.");
        }

        if (!await VerifyAuthenticatorCodeAsync(account, session.Vault, code))
        {
            return TwoFactorOutcome.Failure(CodeField, "That code did not match. Check that the app shows CreatorKeys and your email, and type the code it shows now (it changes every 30 seconds).");
        }

        var codes = await ReplaceRecoveryCodesAsync(account.Id);
        await users.SetTwoFactorEnabledAsync(account, true);
        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorEnabled, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorEnabled, origin);
        return TwoFactorOutcome.Success(codes);
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

        var codes = await ReplaceRecoveryCodesAsync(account.Id);
        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorRecoveryCodesReplaced, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorRecoveryCodesReplaced, origin);
        return TwoFactorOutcome.Success(codes);
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
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            await db.TwoStepSecrets.Where(s => s.AccountId == account.Id).ExecuteDeleteAsync();
            await db.TwoStepRecoveryCodes.Where(c => c.AccountId == account.Id).ExecuteDeleteAsync();
            await LegacyRows(db, account.Id).ExecuteDeleteAsync();
        }

        await activity.RecordAsync(account.Id, ActivityAction.TwoFactorDisabled, origin);
        await notices.NotifyAsync(account.Id, SecurityNotice.TwoFactorDisabled, origin);
        return TwoFactorOutcome.Success([]);
    }

    /// <summary>
    /// The second step of a sign-in (or of a password recovery): a code from the app, checked with
    /// the key the just-unlocked <paramref name="vault"/> opens, or one of the recovery codes,
    /// which is then used up. Wrong codes count toward the lockout.
    /// </summary>
    public async Task<SecondStepResult> VerifySecondStepAsync(Account account, UnlockedVault vault, string? code)
    {
        if (await users.IsLockedOutAsync(account))
        {
            return SecondStepResult.LockedOut;
        }

        var trimmed = (code ?? "").Trim();
        var accepted = false;
        var usedRecoveryCode = false;
        if (AuthenticatorCodes.Normalize(trimmed) is not null)
        {
            accepted = await VerifyAuthenticatorCodeAsync(account, vault, trimmed);
        }
        else if (TwoStepRecoveryCodes.Normalize(trimmed) is { } recoveryCode)
        {
            accepted = await RedeemRecoveryCodeAsync(account.Id, recoveryCode);
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

    /// <summary>
    /// Checks a code from the authenticator app against the account's sealed key, opened by
    /// <paramref name="vault"/>; a code is accepted once (its step and earlier ones are refused
    /// afterwards). Does not touch the lockout count: <see cref="VerifySecondStepAsync"/> does.
    /// </summary>
    public async Task<bool> VerifyAuthenticatorCodeAsync(Account account, UnlockedVault vault, string code)
    {
        if (AuthenticatorCodes.Normalize(code) is not { } digits)
        {
            return false;
        }

        await SealLegacySecretsAsync(account.Id, vault);
        await using var db = await dbFactory.CreateDbContextAsync();
        var secret = await db.TwoStepSecrets.AsNoTracking().SingleOrDefaultAsync(s => s.AccountId == account.Id);
        if (secret is null)
        {
            return false;
        }

        byte[] key;
        try
        {
            key = vault.OpenAuthenticatorKey(secret.SealedAuthenticatorKey);
        }
        catch (VaultCryptoException ex)
        {
            logger.LogError(ex, "The authenticator key of account {AccountId} could not be opened with its vault key.", account.Id);
            return false;
        }

        long? step;
        try
        {
            step = AuthenticatorCodes.MatchingStep(key, digits, time.GetUtcNow());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        // One atomic compare-and-set: of two submissions of the same code, only one moves the step.
        return step is { } matched && await db.TwoStepSecrets
            .Where(s => s.AccountId == account.Id && s.LastUsedStep < matched)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastUsedStep, matched)) == 1;
    }

    /// <summary>Accepts any case, spaces, missing dashes; null when it cannot be a two-step recovery code.</summary>
    public static string? NormalizeRecoveryCode(string code) => TwoStepRecoveryCodes.Normalize(code);

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

    /// <summary>
    /// At start: two-step recovery codes that Identity stored in the clear are replaced by their
    /// hashes (no vault key is needed for that). The authenticator key itself can only be sealed
    /// once the account's vault is unlocked: see <see cref="SealLegacySecretsAsync"/>.
    /// </summary>
    internal static async Task HashLegacyRecoveryCodesAsync(CreatorKeysDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.UserTokens.Where(t => t.LoginProvider == LegacyLoginProvider && t.Name == LegacyCodesName).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // The plain rows are overwritten on delete rather than left in free pages of the file.
            await Data.Database.SecureDeleteOnAsync(db.Database, cancellationToken);
            foreach (var row in rows)
            {
                foreach (var code in (row.Value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (TwoStepRecoveryCodes.Normalize(code) is { } normalized)
                    {
                        db.TwoStepRecoveryCodes.Add(TwoStepRecoveryCodes.Hash(row.UserId, normalized));
                    }
                }

                db.UserTokens.Remove(row);
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// An account set up before the key was sealed still has it in Identity's table in the clear:
    /// the first time its vault is unlocked (a sign-in's password step, a recovery, a signed-in
    /// session on the set-up page) the key is sealed and the plain row deleted.
    /// </summary>
    private async Task SealLegacySecretsAsync(string accountId, UnlockedVault vault)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var rows = await LegacyRows(db, accountId).ToListAsync();
        if (rows.Count == 0)
        {
            return;
        }

        await db.Database.OpenConnectionAsync();
        try
        {
            await Data.Database.SecureDeleteOnAsync(db.Database);
            var plainKey = rows.FirstOrDefault(r => r.LoginProvider == LegacyLoginProvider && r.Name == LegacyKeyName)?.Value;
            if (!string.IsNullOrEmpty(plainKey) && !await db.TwoStepSecrets.AnyAsync(s => s.AccountId == accountId))
            {
                var key = Base32Encoding.ToBytes(plainKey);
                var lastStep = rows.FirstOrDefault(r => r.LoginProvider == LegacyStepLoginProvider && r.Name == LegacyStepName)?.Value;
                db.TwoStepSecrets.Add(new TwoStepSecret
                {
                    AccountId = accountId,
                    SealedAuthenticatorKey = vault.SealAuthenticatorKey(key),
                    LastUsedStep = long.TryParse(lastStep, NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : 0,
                });
                CryptographicOperations.ZeroMemory(key);
            }

            foreach (var row in rows.Where(r => r.Name != LegacyCodesName))
            {
                db.UserTokens.Remove(row);
            }

            await db.SaveChangesAsync();
            logger.LogInformation("Sealed the two-step key of account {AccountId}, which was stored in the clear before.", accountId);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static IQueryable<IdentityUserToken<string>> LegacyRows(CreatorKeysDbContext db, string accountId) =>
        db.UserTokens.Where(t => t.UserId == accountId
            && ((t.LoginProvider == LegacyLoginProvider && (t.Name == LegacyKeyName || t.Name == LegacyCodesName))
                || (t.LoginProvider == LegacyStepLoginProvider && t.Name == LegacyStepName)));

    /// <summary>New codes replace every old one in one save; only their hashes are stored.</summary>
    private async Task<IReadOnlyList<string>> ReplaceRecoveryCodesAsync(string accountId)
    {
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => TwoStepRecoveryCodes.Generate()).ToList();
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.TwoStepRecoveryCodes.Where(c => c.AccountId == accountId).ExecuteDeleteAsync();
        await LegacyRows(db, accountId).Where(t => t.Name == LegacyCodesName).ExecuteDeleteAsync();
        db.TwoStepRecoveryCodes.AddRange(codes.Select(c => TwoStepRecoveryCodes.Hash(accountId, TwoStepRecoveryCodes.Normalize(c)!)));
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return codes;
    }

    /// <summary>Uses up the matching code: of two requests with the same code, only the one whose delete removed the row wins.</summary>
    private async Task<bool> RedeemRecoveryCodeAsync(string accountId, string normalizedCode)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var stored = await db.TwoStepRecoveryCodes.AsNoTracking().Where(c => c.AccountId == accountId).ToListAsync();
        var match = stored.FirstOrDefault(c => TwoStepRecoveryCodes.Matches(c, normalizedCode));
        return match is not null && await db.TwoStepRecoveryCodes.Where(c => c.Id == match.Id).ExecuteDeleteAsync() == 1;
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
