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
    public Task<IReadOnlyList<ActivityEntry>> ListRecentAsync(string accountId, int take, CancellationToken cancellationToken = default) =>
        ListAsync(accountId, ActivityFilter.None, take, cancellationToken);

    /// <summary>The account's entries that match the filter, newest first.</summary>
    public async Task<IReadOnlyList<ActivityEntry>> ListAsync(string accountId, ActivityFilter filter, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Activity.AsNoTracking().Where(e => e.AccountId == accountId);
        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.Environment is { } environment)
        {
            query = query.Where(e => e.Environment == environment);
        }

        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.Until is { } until)
        {
            query = query.Where(e => e.At < until);
        }

        return await query.OrderByDescending(e => e.Sequence).ThenByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }

    public static IReadOnlyList<string> CsvHeader { get; } = ["#", "When (UTC)", "What", "Key or detail", "Environment", "IP address", "Browser", "Hash"];

    /// <summary>The filtered log as CSV (formula-safe, like the reports), recorded as an export.</summary>
    public async Task<byte[]> ExportCsvAsync(string accountId, ActivityFilter filter, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var entries = await ListAsync(accountId, filter, int.MaxValue, cancellationToken);
        using var output = new MemoryStream();
        await Reports.SafeCsv.WriteAsync(output, CsvHeader, entries.Select(e => (IReadOnlyList<string>)
        [
            e.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            e.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
            ActivityText.Describe(e.Action),
            e.TargetName ?? "",
            e.Environment?.Code() ?? "",
            e.IpAddress ?? "",
            e.UserAgent ?? "",
            e.Hash,
        ]), cancellationToken);
        await RecordAsync(accountId, ActivityAction.ActivityExported, origin, targetName: $"CSV, {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}", cancellationToken: cancellationToken);
        return output.ToArray();
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

/// <summary>Which entries of the log to show or export; every part is optional. <see cref="Until"/> is exclusive.</summary>
public sealed record ActivityFilter(ActivityAction? Action = null, VaultEnvironment? Environment = null, DateTimeOffset? From = null, DateTimeOffset? Until = null)
{
    public static ActivityFilter None { get; } = new();
}
