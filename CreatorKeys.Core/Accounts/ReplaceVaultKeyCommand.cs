using System.Security.Cryptography;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// "Replace my vault key": a new random vault key, every value sealed under it (and the two-step authenticator
/// key), new wraps for the password (the same one or a new one) and for a new recovery code, the old wraps
/// overwritten, all in ONE database transaction with <c>PRAGMA secure_delete</c> on. A process killed half-way
/// leaves the old state whole (SQLite rolls the unfinished transaction back when the file is next opened), never a
/// mix. Every other session of the account, which holds the old key in memory, is locked first; this session goes
/// on with the new key and shows a new emergency kit. See docs/decisions/014-replacing-the-vault-key.md.
/// </summary>
/// <remarks>Uses Identity's <see cref="UserManager{TUser}"/>; one per request or operation.</remarks>
public sealed class ReplaceVaultKeyCommand(
    UserManager<Account> users,
    AccountService accounts,
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    VaultSessionStore sessions,
    ActivityService activity,
    SecurityNoticeService notices,
    PasswordWorkGate passwordWork,
    IEnumerable<IVaultKeyReplacementTestPause> testPauses,
    TimeProvider time,
    ILogger<ReplaceVaultKeyCommand> logger)
{
    /// <summary>
    /// Replaces the vault key of the session's account. <paramref name="currentPassword"/> is needed even to keep
    /// the password: the new key is wrapped with it. An empty <paramref name="newPassword"/> keeps the current one.
    /// On success the outcome carries the new recovery code, also left on the session for the emergency kit page.
    /// A wrong password, a weak new password or any failure changes nothing.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<AccountOutcome> ReplaceAsync(VaultSession session, string? currentPassword, string? newPassword, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        try
        {
            return await passwordWork.RunAsync(() => ReplaceInSlotAsync(session, currentPassword ?? "", newPassword, origin, cancellationToken), cancellationToken);
        }
        catch (ServerBusyException busy)
        {
            return AccountOutcome.Failure(AccountOutcome.FormError, busy.Message + " Nothing was changed.");
        }
    }

    private async Task<AccountOutcome> ReplaceInSlotAsync(VaultSession session, string currentPassword, string? newPassword, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var account = await users.FindByIdAsync(session.AccountId);
        if (account is null)
        {
            return AccountOutcome.Failure(AccountOutcome.FormError, "Your account could not be found. Sign in again.");
        }

        if (await users.IsLockedOutAsync(account))
        {
            return AccountOutcome.LockedOut(accounts.LockedOutMessage());
        }

        if (currentPassword.Length == 0)
        {
            return AccountOutcome.Failure(AccountService.CurrentPasswordField, "Type your current password: the new vault key is locked with it. Nothing was changed.");
        }

        if (!await users.CheckPasswordAsync(account, currentPassword))
        {
            await users.AccessFailedAsync(account);
            await activity.RecordAsync(account.Id, ActivityAction.SignInFailed, origin, targetName: "Wrong password to replace the vault key", cancellationToken: cancellationToken);
            return await users.IsLockedOutAsync(account)
                ? AccountOutcome.LockedOut(accounts.LockedOutMessage())
                : AccountOutcome.Failure(AccountService.CurrentPasswordField, "That is not your current password. Nothing was changed.");
        }

        var changesPassword = !string.IsNullOrEmpty(newPassword);
        if (changesPassword && await accounts.ValidatePasswordAsync(account, newPassword!) is { } passwordErrors)
        {
            return AccountOutcome.Failure(AccountService.NewPasswordField, $"{passwordErrors} Nothing was changed.");
        }

        // Everything slow (two key stretchings and the password hash) happens before the database is touched.
        var password = changesPassword ? newPassword! : currentPassword;
        var newVault = new UnlockedVault(account.Id, VaultCrypto.NewKey());
        int count;
        int tokens;
        var recoveryCode = RecoveryCode.Generate();
        try
        {
            var wrap = new VaultKeyWrap();
            accounts.WrapForPassword(wrap, newVault, password);
            accounts.WrapForRecovery(wrap, newVault, recoveryCode);
            var passwordHash = changesPassword ? users.PasswordHasher.HashPassword(account, password) : null;

            // Other browsers hold the old key: they could otherwise write a value sealed under it after the switch.
            sessions.LockAccount(account.Id, VaultLockReason.VaultKeyReplaced, exceptSessionId: session.Id);
            sessions.DropHeldOf(account.Id);

            (count, tokens) = await ReEncryptAsync(session.Vault, newVault, wrap, passwordHash, cancellationToken);
        }
        catch
        {
            newVault.Dispose();
            throw;
        }

        session.ReplaceVault(newVault);
        session.PendingRecoveryCode = recoveryCode;
        session.EmergencyKitPending = true;

        await activity.RecordAsync(account.Id, ActivityAction.VaultKeyReplaced, origin,
            targetName: $"{count} key value{(count == 1 ? "" : "s")} locked again{(changesPassword ? ", with a new password" : "")}{(tokens > 0 ? $", {tokens} access token{(tokens == 1 ? "" : "s")} revoked" : "")}", cancellationToken: cancellationToken);
        await notices.NotifyAsync(account.Id, SecurityNotice.VaultKeyReplaced, origin, cancellationToken);
        return AccountOutcome.Success(account, recoveryCode: recoveryCode, revokedAccessTokens: tokens);
    }

    /// <summary>The one transaction: every value, the authenticator key and both wraps move to the new key, or nothing does. Returns how many values.</summary>
    private async Task<(int Values, int Tokens)> ReEncryptAsync(UnlockedVault oldVault, UnlockedVault newVault, VaultKeyWrap wrap, string? passwordHash, CancellationToken cancellationToken)
    {
        var accountId = newVault.AccountId;
        var revokedTokens = 0;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // Freed space (the old wraps, the old ciphertexts) is overwritten with zeros rather than left in the file.
            await Data.Database.SecureDeleteOnAsync(db.Database, cancellationToken);

            // BEGIN IMMEDIATE on SQLite (the write lock is taken now), SERIALIZABLE on PostgreSQL: no other write lands in between.
            await using var transaction = await Data.Database.BeginWriteTransactionAsync(db.Database, cancellationToken);
            var account = await db.Users.SingleAsync(a => a.Id == accountId, cancellationToken);
            var keys = await db.ApiKeys.Where(k => k.AccountId == accountId).OrderBy(k => k.Id).ToListAsync(cancellationToken);
            var secret = await db.TwoStepSecrets.SingleOrDefaultAsync(s => s.AccountId == accountId, cancellationToken);

            // The first half is written (not committed) before the rest, so a crash test can stop the process in between.
            var half = keys.Count / 2;
            for (var i = 0; i < keys.Count; i++)
            {
                if (i == half && half > 0)
                {
                    await db.SaveChangesAsync(cancellationToken);
                    foreach (var pause in testPauses)
                    {
                        await pause.HalfWrittenAsync(half, keys.Count, cancellationToken);
                    }
                }

                var key = keys[i];
                // A value the old key cannot open throws here, and the whole transaction is rolled back.
                var value = oldVault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
                key.Ciphertext = newVault.EncryptValue(key.Id, key.Environment, value);
                key.Fingerprint = newVault.Fingerprint(value);
            }

            if (secret is not null)
            {
                var authenticatorKey = oldVault.OpenAuthenticatorKey(secret.SealedAuthenticatorKey);
                try
                {
                    secret.SealedAuthenticatorKey = newVault.SealAuthenticatorKey(authenticatorKey);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(authenticatorKey);
                }
            }

            // Every access token holds a copy of an environment key derived from the old vault key: revoke them all, in
            // the same transaction (re-sealing would need each token's secret, which the server never keeps).
            revokedTokens = await AccessTokens.AccessTokenService.RevokeAllAsync(db, accountId, time.GetUtcNow(), cancellationToken);

            wrap.CopyTo(account.Vault);
            if (passwordHash is not null)
            {
                account.PasswordHash = passwordHash;
            }

            account.ConcurrencyStamp = Guid.NewGuid().ToString();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);

            // Old pages written before (the sign-up's wraps, say) may still sit in the write-ahead log: fold it
            // into the file and empty it. Best effort: a reader still open elsewhere can keep part of it for now.
            try
            {
                await Data.Database.CheckpointAsync(db.Database, cancellationToken);
            }
            catch (Microsoft.Data.Sqlite.SqliteException ex)
            {
                logger.LogInformation(ex, "The write-ahead log could not be emptied after a vault key replacement; SQLite does it at its next checkpoint.");
            }

            return (keys.Count, revokedTokens);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>
/// TEST ONLY: lets the crash test stop the replacement with half the values written and the transaction still open
/// (<c>VaultKeyReplacementKillTests</c>, through the child program <c>CreatorKeys.Benchmarks vault-key-replacement-child</c>).
/// The app registers no implementation and reads no setting for it, so it cannot be turned on by configuration: only
/// code that builds its own service collection can add one.
/// </summary>
public interface IVaultKeyReplacementTestPause
{
    /// <summary>Called inside the open transaction once <paramref name="written"/> of <paramref name="total"/> values are written.</summary>
    Task HalfWrittenAsync(int written, int total, CancellationToken cancellationToken);
}
