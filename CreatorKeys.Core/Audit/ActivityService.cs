using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Audit;

/// <summary>Writes and reads the append-only activity log. Entries never contain a secret value.</summary>
public sealed class ActivityService(IDbContextFactory<CreatorKeysDbContext> dbFactory, TimeProvider time)
{
    public async Task RecordAsync(
        string accountId,
        ActivityAction action,
        RequestOrigin origin,
        string? targetId = null,
        string? targetName = null,
        VaultEnvironment? environment = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Activity.Add(NewEntry(accountId, action, origin, targetId, targetName, environment));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Adds an entry to a context the caller will save, so the change and its record commit together.</summary>
    internal void Stage(
        CreatorKeysDbContext db,
        string accountId,
        ActivityAction action,
        RequestOrigin origin,
        string? targetId = null,
        string? targetName = null,
        VaultEnvironment? environment = null) =>
        db.Activity.Add(NewEntry(accountId, action, origin, targetId, targetName, environment));

    /// <summary>The newest entries of one account, newest first.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ListRecentAsync(string accountId, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Activity.AsNoTracking()
            .Where(e => e.AccountId == accountId)
            .OrderByDescending(e => e.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    private ActivityEntry NewEntry(
        string accountId,
        ActivityAction action,
        RequestOrigin origin,
        string? targetId,
        string? targetName,
        VaultEnvironment? environment) => new()
        {
            AccountId = accountId,
            // Whole milliseconds: the database keeps times to 0.1 ms, and the chain's hash must read back the same.
            At = ActivityChain.ToWholeMilliseconds(time.GetUtcNow()),
            Action = action,
            TargetId = targetId,
            TargetName = Truncate(targetName, ActivityEntry.MaxTargetNameLength),
            Environment = environment,
            IpAddress = Truncate(origin.IpAddress, ActivityEntry.MaxIpAddressLength),
            UserAgent = Truncate(origin.UserAgent, ActivityEntry.MaxUserAgentLength),
        };

    private static string? Truncate(string? text, int max) =>
        text is null || text.Length <= max ? text : text[..max];
}
