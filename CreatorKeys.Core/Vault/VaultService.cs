using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Stores, lists, reveals and deletes an account's keys. Every query is filtered by the
/// account of the signed-in session; a key id from another account is simply "not found".
/// </summary>
public sealed class VaultService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ActivityService activity,
    TimeProvider time)
{
    /// <summary>Encrypts and stores a new key. Bad input or a duplicate value changes nothing.</summary>
    public async Task<AddKeyResult> AddKeyAsync(VaultSession session, NewKeyInput input, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var (clean, errors) = input.Validate();
        if (clean is null)
        {
            return new AddKeyResult(null, errors);
        }

        var vault = session.Vault;
        var fingerprint = vault.Fingerprint(clean.Value);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        var existing = await FindByFingerprintAsync(db, session.AccountId, fingerprint, cancellationToken);
        if (existing is not null)
        {
            return DuplicateValue(existing);
        }

        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            AccountId = session.AccountId,
            ProviderName = clean.ProviderName,
            Environment = clean.Environment,
            Label = clean.Label,
            Hint = KeyHint.For(clean.Value),
            Fingerprint = fingerprint,
            CreatedAt = time.GetUtcNow(),
        };
        key.Ciphertext = vault.EncryptValue(key.Id, key.Environment, clean.Value);
        db.ApiKeys.Add(key);
        activity.Stage(db, session.AccountId, ActivityAction.KeyAdded, origin, key.Id.ToString(), key.Label, key.Environment);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // Another request stored the same value between our check and our insert.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var winner = await FindByFingerprintAsync(fresh, session.AccountId, fingerprint, cancellationToken);
            if (winner is null)
            {
                throw;
            }

            return DuplicateValue(winner);
        }

        return new AddKeyResult(ToSummary(key), new Dictionary<string, string>());
    }

    /// <summary>Every key of the account, by environment then provider then label; no values.</summary>
    public async Task<IReadOnlyList<KeySummary>> ListKeysAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId)
            .Select(k => new KeySummary(k.Id, k.ProviderName, k.Environment, k.Label, k.Hint, k.CreatedAt))
            .ToListAsync(cancellationToken);
        return keys
            .OrderBy(k => k.Environment)
            .ThenBy(k => k.ProviderName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(k => k.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Decrypts a key for display and records who revealed it. Null when the account has no such key.</summary>
    /// <exception cref="VaultCryptoException">The stored value was altered and cannot be trusted.</exception>
    public Task<string?> RevealAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        DecryptAndRecordAsync(session, keyId, ActivityAction.KeyRevealed, origin, cancellationToken);

    /// <summary>Decrypts a key for the clipboard and records who copied it. Null when the account has no such key.</summary>
    public Task<string?> CopyAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        DecryptAndRecordAsync(session, keyId, ActivityAction.KeyCopied, origin, cancellationToken);

    /// <summary>Deletes a key and its encrypted value. False when the account has no such key.</summary>
    public async Task<bool> DeleteAsync(string accountId, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        db.ApiKeys.Remove(key);
        activity.Stage(db, accountId, ActivityAction.KeyDeleted, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<string?> DecryptAndRecordAsync(VaultSession session, Guid keyId, ActivityAction action, RequestOrigin origin, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == session.AccountId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var value = session.Vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
        // Recorded before the value is handed out: a reveal that is not logged does not happen.
        activity.Stage(db, session.AccountId, action, origin, key.Id.ToString(), key.Label, key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return value;
    }

    private static async Task<ApiKey?> FindByFingerprintAsync(CreatorKeysDbContext db, string accountId, byte[] fingerprint, CancellationToken cancellationToken) =>
        await db.ApiKeys.AsNoTracking()
            .SingleOrDefaultAsync(k => k.AccountId == accountId && k.Fingerprint == fingerprint, cancellationToken);

    private static AddKeyResult DuplicateValue(ApiKey existing) => new(null, new Dictionary<string, string>
    {
        [nameof(NewKeyInput.Value)] =
            $"This exact key is already in your vault as “{existing.Label}” ({existing.Environment.Code()}). " +
            "Using one key in several places means one leak exposes all of them: create a separate key at the provider instead.",
    });

    private static KeySummary ToSummary(ApiKey k) => new(k.Id, k.ProviderName, k.Environment, k.Label, k.Hint, k.CreatedAt);
}
