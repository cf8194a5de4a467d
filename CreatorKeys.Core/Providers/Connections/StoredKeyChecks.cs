using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Checks the keys stored in a creator's vault with their providers and keeps the last verdict of each (never a value).
/// The value is decrypted in memory for the one request; no "confirm it's you" is needed, since nothing is shown
/// and it goes only to the provider that issued it. Each check is in the activity log and counts toward a
/// per-account limit.
/// </summary>
public sealed class StoredKeyChecks(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    KeyCheckService checks,
    ActivityService activity,
    ActionLimits limits,
    TimeProvider time)
{
    /// <summary>Whether the key's provider has a check this install may run.</summary>
    public bool CanCheck(KeySummary key) => checks.CallsAllowed && key.ProviderId is { } id && checks.CanCheck(id);

    /// <summary>Whether the provider has a check at all, whatever this install's setting (to say why a button is missing).</summary>
    public bool CanCheckProvider(string providerId) => checks.CanCheck(providerId);

    /// <summary>
    /// Asks the provider about a value not stored yet (rotation step 1: a refused new key is not stored). Counts toward
    /// the per-account limit; keeps nothing, since there is no key to keep a verdict for.
    /// </summary>
    /// <exception cref="RateLimitedException">The account checked too many keys in the last minute; nothing was sent.</exception>
    public async Task<KeyCheckResult> CheckPastedAsync(string accountId, string providerId, string value, CancellationToken cancellationToken = default)
    {
        if (!checks.CallsAllowed || !checks.CanCheck(providerId))
        {
            return await checks.CheckAsync(providerId, "", cancellationToken);
        }

        limits.Enforce(LimitedAction.KeyCheck, accountId);
        return await checks.CheckAsync(providerId, value, cancellationToken);
    }

    /// <inheritdoc cref="KeyCheckService.CallsAllowed"/>
    public bool CallsAllowed => checks.CallsAllowed;

    /// <inheritdoc cref="KeyCheckService.WhyOff"/>
    public string? WhyOff => checks.WhyOff;

    /// <summary>The last kept verdict for each of the account's keys that was ever checked.</summary>
    public async Task<IReadOnlyDictionary<Guid, KeyCheckRecord>> LatestAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = await db.KeyChecks.AsNoTracking().Where(c => c.AccountId == accountId).ToListAsync(cancellationToken);
        return records.ToDictionary(c => c.KeyId);
    }

    /// <summary>The last kept verdict for each of <paramref name="keyIds"/> that was ever checked (a page of the vault).</summary>
    public async Task<IReadOnlyDictionary<Guid, KeyCheckRecord>> LatestAsync(string accountId, IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default)
    {
        if (keyIds.Count == 0)
        {
            return new Dictionary<Guid, KeyCheckRecord>();
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = await db.KeyChecks.AsNoTracking().Where(c => c.AccountId == accountId && keyIds.Contains(c.KeyId)).ToListAsync(cancellationToken);
        return records.ToDictionary(c => c.KeyId);
    }

    /// <summary>"last checked: works, 3 days ago" (today, yesterday, N days ago).</summary>
    public static string LastChecked(KeyCheckRecord record, DateTimeOffset now)
    {
        var days = (int)(now - record.CheckedAt).TotalDays;
        var when = days switch { <= 0 => "today", 1 => "yesterday", _ => $"{days} days ago" };
        return $"last checked: {InBrief(record.Outcome)}, {when}";
    }

    /// <summary>Asks the key's provider whether it works and keeps the verdict. Null when the account has no such key.</summary>
    /// <exception cref="RateLimitedException">The account checked too many keys in the last minute; nothing was sent.</exception>
    public async Task<KeyCheckResult?> CheckAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == session.AccountId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        if (key.ProviderId is null || !checks.CallsAllowed || !checks.CanCheck(key.ProviderId))
        {
            return await checks.CheckAsync(key.ProviderId ?? key.ProviderName, "", cancellationToken);
        }

        limits.Enforce(LimitedAction.KeyCheck, session.AccountId);
        var value = session.Vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
        var result = await checks.CheckAsync(key.ProviderId, value, cancellationToken);

        if (result.Outcome is KeyCheckOutcome.Works or KeyCheckOutcome.Limited or KeyCheckOutcome.Refused)
        {
            var record = await db.KeyChecks.SingleOrDefaultAsync(c => c.KeyId == key.Id, cancellationToken);
            if (record is null)
            {
                record = new KeyCheckRecord { KeyId = key.Id, AccountId = session.AccountId };
                db.KeyChecks.Add(record);
            }

            record.CheckedAt = result.CheckedAt;
            record.Outcome = result.Outcome;
            record.Message = result.Message.Length > KeyCheckRecord.MaxMessageLength ? result.Message[..KeyCheckRecord.MaxMessageLength] : result.Message;
            record.HttpStatus = result.HttpStatus;
        }

        activity.Stage(db, session.AccountId, ActivityAction.KeyChecked, origin, key.Id.ToString(), $"{key.Label}: {InBrief(result.Outcome)}", key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Checks every current key whose provider has a check, one after another, reporting progress. Stops early (and
    /// says so in the last result) when the per-account limit is reached.
    /// </summary>
    public async Task<IReadOnlyList<(KeySummary Key, KeyCheckResult Result)>> CheckAllAsync(
        VaultSession session, IReadOnlyList<KeySummary> keys, RequestOrigin origin, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<(KeySummary, KeyCheckResult)>();
        foreach (var key in keys.Where(CanCheck))
        {
            cancellationToken.ThrowIfCancellationRequested();
            KeyCheckResult? result;
            try
            {
                result = await CheckAsync(session, key.Id, origin, cancellationToken);
            }
            catch (RateLimitedException error)
            {
                results.Add((key, new KeyCheckResult(key.ProviderId!, KeyCheckOutcome.TooManyChecks, error.Message, time.GetUtcNow(), RetryAfter: TimeSpan.FromMinutes(1))));
                break;
            }

            if (result is not null)
            {
                results.Add((key, result));
            }

            progress?.Report(results.Count);
        }

        return results;
    }

    /// <summary>Two or three words for the activity log and the vault list.</summary>
    public static string InBrief(KeyCheckOutcome outcome) => outcome switch
    {
        KeyCheckOutcome.Works => "works",
        KeyCheckOutcome.Limited => "works, with limits",
        KeyCheckOutcome.Refused => "refused",
        KeyCheckOutcome.NoAnswer => "no answer",
        KeyCheckOutcome.TooManyChecks => "too many checks",
        KeyCheckOutcome.NotSent => "not sent",
        KeyCheckOutcome.Unavailable => "not available",
        _ => "unclear answer",
    };
}
