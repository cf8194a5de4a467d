using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Reads the spend of keys stored in a creator's vault from their providers, only when the creator asks, and keeps the
/// last figures of each (numbers only, with their date). Reading needs the value, so an unlocked vault; showing the
/// kept figures does not (the dashboard, the reports and the digest use them while the vault is locked). Each reading
/// is in the activity log (which key, which provider) and counts toward the per-account key-check limit.
/// </summary>
public sealed class StoredSpend(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    SpendService spend,
    ActivityService activity,
    ActionLimits limits,
    TimeProvider time)
{
    /// <summary>How many keys the dashboard lists: the worst, read with one bounded query.</summary>
    public const int DashboardKeys = 8;

    /// <summary>
    /// Whether this install may read the key's spend from its provider with the key itself. A per-project reading
    /// (OpenAI) needs the admin key and the confirm-it's-you window, so it is read on the key's page only.
    /// </summary>
    public bool CanRead(KeySummary key) => spend.CallsAllowed && spend.CanRead(key.ProviderId) && !spend.ReadsPerProject(key.ProviderId);

    /// <inheritdoc cref="SpendService.ReadsPerProject"/>
    public bool ReadsPerProject(string? providerId) => spend.ReadsPerProject(providerId);

    /// <summary>
    /// What a per-project reading (OpenAI) needs for this key: the label of the stored admin key (null when none is
    /// stored) and whether the key's project is chosen. No vault needed.
    /// </summary>
    public async Task<ProjectSpendSetup> ProjectSetupAsync(string accountId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId && k.AccountId == accountId).Select(k => new { k.ProviderId, k.ProviderProjectId }).SingleOrDefaultAsync(cancellationToken);
        var management = key?.ProviderId is null ? null : await FindManagementKeyAsync(db, accountId, key.ProviderId, cancellationToken);
        return new ProjectSpendSetup(management?.Label, key?.ProviderProjectId);
    }

    /// <summary>Whether the provider reports spend at all, whatever this install's setting.</summary>
    public bool CanReadProvider(string? providerId) => spend.CanRead(providerId);

    /// <inheritdoc cref="SpendService.CallsAllowed"/>
    public bool CallsAllowed => spend.CallsAllowed;

    /// <summary>
    /// Asks the key's provider how much it has used and keeps the figures. Null when the account has no such key.
    /// Figures are replaced only by new figures: a refusal or no answer leaves the last known ones.
    /// </summary>
    /// <exception cref="RateLimitedException">The account asked providers too often in the last minute; nothing was sent.</exception>
    public async Task<SpendReadResult?> ReadAsync(VaultSession session, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == session.AccountId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        if (!CallsAllowed || !spend.CanRead(key.ProviderId))
        {
            return await spend.ReadAsync(key.ProviderId ?? key.ProviderName, "", cancellationToken);
        }

        SpendReadResult result;
        if (spend.ReadsPerProject(key.ProviderId))
        {
            var (read, sent) = await ReadProjectAsync(db, session, key, origin, cancellationToken);
            if (!sent)
            {
                return read;
            }

            result = read;
        }
        else
        {
            limits.Enforce(LimitedAction.KeyCheck, session.AccountId);
            var value = session.Vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
            result = await spend.ReadAsync(key.ProviderId!, value, cancellationToken);
        }

        if (result is { Outcome: KeyCheckOutcome.Works, Figures: { } figures })
        {
            var record = await db.KeySpends.SingleOrDefaultAsync(s => s.KeyId == key.Id, cancellationToken);
            if (record is null)
            {
                record = new KeySpend { KeyId = key.Id, AccountId = session.AccountId };
                db.KeySpends.Add(record);
            }

            record.ReadAt = result.ReadAt;
            record.Unit = figures.Unit;
            record.UsedThisMonth = figures.UsedThisMonth;
            record.ProviderLimit = figures.ProviderLimit;
            record.UsedAgainstLimit = figures.UsedAgainstLimit;
            record.LimitPeriod = figures.LimitPeriod;
            record.ResetsAt = figures.ResetsAt;
        }

        var provider = ProviderCatalog.Shipped.Find(key.ProviderId)?.Name ?? key.ProviderName;
        activity.Stage(db, session.AccountId, ActivityAction.SpendRead, origin, key.Id.ToString(), $"{key.Label} ({provider}): {InBrief(result.Outcome)}", key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// OpenAI: the key's project's spend, read with the stored admin key after the confirm-it's-you window; the use of
    /// the admin key is in the activity log (names only). What is missing (the project, the admin key) is said in words
    /// and nothing is sent.
    /// </summary>
    private async Task<(SpendReadResult Result, bool Sent)> ReadProjectAsync(
        CreatorKeysDbContext db, VaultSession session, ApiKey key, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var provider = ProviderCatalog.Shipped.Find(key.ProviderId)?.Name ?? key.ProviderName;
        var kind = ManagementKeys.KindOf(key.ProviderId);
        SpendReadResult Missing(string message) => new(key.ProviderId!, KeyCheckOutcome.NotSent, message, time.GetUtcNow());
        if (key.IsManagementKey)
        {
            return (Missing($"This is your {provider} {kind}: it belongs to no project, so it has no spend of its own. Read the spend on the page of a key in a project."), false);
        }

        if (key.ProviderProjectId is not { } projectId)
        {
            return (Missing($"Not read: {provider} reports spend per project, and this key's project is not chosen yet. Type its project id under “At {provider}” on this page."), false);
        }

        if (await FindManagementKeyAsync(db, session.AccountId, key.ProviderId!, cancellationToken) is not { } management)
        {
            return (Missing($"Not read: {provider} reports a project's spend to your {provider} {kind} only. Add it in PROD and mark it as a management key."), false);
        }

        session.RequireConfirmation();
        limits.Enforce(LimitedAction.KeyCheck, session.AccountId);
        var managementValue = session.Vault.DecryptValue(management.Id, management.Environment, management.Ciphertext);
        activity.Stage(db, session.AccountId, ActivityAction.ManagementKeyUsed, origin, management.Id.ToString(), $"{management.Label}: read the spend of project {projectId}", management.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return (await spend.ReadProjectAsync(key.ProviderId!, managementValue, projectId, cancellationToken), true);
    }

    private static Task<ApiKey?> FindManagementKeyAsync(CreatorKeysDbContext db, string accountId, string providerId, CancellationToken cancellationToken) =>
        db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.ProviderId == providerId && k.IsManagementKey && k.Environment == VaultEnvironment.Prod && k.Status == KeyStatus.Current)
            .OrderByDescending(k => k.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Reads the spend of every given key whose provider reports it, one after another, reporting progress (the count
    /// so far). Stops early when the per-account limit is reached, and says so in the last result.
    /// </summary>
    public async Task<IReadOnlyList<(KeySummary Key, SpendReadResult Result)>> ReadAllAsync(
        VaultSession session, IReadOnlyList<KeySummary> keys, RequestOrigin origin, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<(KeySummary, SpendReadResult)>();
        foreach (var key in keys.Where(CanRead))
        {
            cancellationToken.ThrowIfCancellationRequested();
            SpendReadResult? result;
            try
            {
                result = await ReadAsync(session, key.Id, origin, cancellationToken);
            }
            catch (RateLimitedException error)
            {
                results.Add((key, new SpendReadResult(key.ProviderId!, KeyCheckOutcome.TooManyChecks, error.Message, time.GetUtcNow(), RetryAfter: TimeSpan.FromMinutes(1))));
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

    /// <summary>The last known figures of one key set against its cap, or null when none were ever read. No vault needed.</summary>
    public async Task<SpendStanding?> LatestAsync(string accountId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.KeySpends.AsNoTracking()
            .Where(s => s.KeyId == keyId && s.AccountId == accountId)
            .Join(db.ApiKeys.Where(k => k.AccountId == accountId), s => s.KeyId, k => k.Id, (s, k) => new { Spend = s, k.Label, k.ProviderName, k.ProviderId, k.Environment, k.MonthlyCapUsd })
            .SingleOrDefaultAsync(cancellationToken);
        return row is null ? null : SpendStanding.From(row.Spend, row.Label, row.ProviderName, row.Environment, row.MonthlyCapUsd, row.ProviderId);
    }

    /// <summary>The keys in use nearest (or over) their cap, worst first, at most <paramref name="take"/>: one bounded query, never one per key.</summary>
    public async Task<IReadOnlyList<SpendStanding>> WorstAsync(string accountId, int take = DashboardKeys, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await WorstAsync(db, accountId, take, cancellationToken);
    }

    /// <summary>
    /// <see cref="WorstAsync(string, int, CancellationToken)"/> on a given context (the digest's). The share is worked out
    /// in SQL, as a floating-point ratio (SQLite keeps decimals as text and cannot order them), so the database returns
    /// only the rows shown; keys without a cap come after every key with one.
    /// </summary>
    public static async Task<IReadOnlyList<SpendStanding>> WorstAsync(CreatorKeysDbContext db, string accountId, int take, CancellationToken cancellationToken = default)
    {
        // A plain join (no subquery over ApiKeys), so the reminder check's plan tests tell this query from its own.
        // The account is asked of the readings only, not of the keys as well: with "key's account = ?" SQLite started
        // from the keys (every index on ApiKeys leads with the account) and looked up a reading for each of the
        // account's keys, 3 ms of every dashboard visit at 10,000 keys with no reading at all. From the readings, it
        // reads the few rows there are and each one's key by its id (QueryPlanTests). The key's account is still
        // checked, below, so a reading filed under the wrong account can never show another account's key.
        var rows = await db.KeySpends.AsNoTracking()
            .Where(s => s.AccountId == accountId)
            .Join(db.ApiKeys, s => s.KeyId, k => k.Id, (s, k) => new { Spend = s, k.AccountId, k.Status, k.Label, k.ProviderName, k.ProviderId, k.Environment, k.MonthlyCapUsd })
            .Where(r => r.Status == KeyStatus.Current)
            .OrderByDescending(r => r.Spend.ProviderLimit != null
                ? ((double)r.Spend.ProviderLimit > 0 ? (double)(r.Spend.UsedAgainstLimit ?? r.Spend.UsedThisMonth) / (double)r.Spend.ProviderLimit : 0)
                : r.Spend.Unit == SpendUnit.Dollars && r.MonthlyCapUsd != null && (double)r.MonthlyCapUsd > 0
                    ? (double)r.Spend.UsedThisMonth / (double)r.MonthlyCapUsd
                    : -1)
            .ThenBy(r => r.Label)
            .Take(take)
            .ToListAsync(cancellationToken);
        return rows.Where(r => r.AccountId == accountId).Select(r => SpendStanding.From(r.Spend, r.Label, r.ProviderName, r.Environment, r.MonthlyCapUsd, r.ProviderId)).ToList();
    }

    /// <summary>Two or three words for the activity log.</summary>
    public static string InBrief(KeyCheckOutcome outcome) => outcome switch
    {
        KeyCheckOutcome.Works => "spend read",
        KeyCheckOutcome.Limited => "spend not readable with this key",
        KeyCheckOutcome.Refused => "refused",
        KeyCheckOutcome.NoAnswer => "no answer",
        KeyCheckOutcome.TooManyChecks => "too many requests",
        KeyCheckOutcome.NotSent => "not sent",
        KeyCheckOutcome.Unavailable => "not available",
        _ => "unclear answer",
    };
}

/// <summary>What a per-project spend reading (OpenAI) has and lacks for a key: the stored admin key's label, the key's project.</summary>
public sealed record ProjectSpendSetup(string? ManagementKeyLabel, string? ProjectId)
{
    public bool Ready => ManagementKeyLabel is not null && ProjectId is not null;
}
