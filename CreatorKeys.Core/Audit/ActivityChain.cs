using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreatorKeys.Core.Audit;

/// <summary>
/// The activity log's hash chain: each entry stores SHA-256 over its own content and the
/// previous entry's hash, numbered 1, 2, 3 … per account. Changing, removing or reordering an
/// entry in the database file breaks the chain at that entry, and <see cref="VerifyAsync"/> says where.
/// </summary>
public sealed class ActivityChain(IDbContextFactory<CreatorKeysDbContext> dbFactory)
{
    public static readonly string Genesis = new('0', 64);

    public static DateTimeOffset ToWholeMilliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>The hash of an entry, from its content, its number and the hash before it.</summary>
    public static string HashOf(ActivityEntry entry, string previousHash)
    {
        var content = string.Join('\u001f',
            entry.Sequence.ToString(CultureInfo.InvariantCulture),
            entry.AccountId,
            (entry.At.UtcTicks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture),
            entry.Action.ToString(),
            entry.TargetId ?? "",
            entry.TargetName ?? "",
            entry.Environment?.ToString() ?? "",
            entry.IpAddress ?? "",
            entry.UserAgent ?? "",
            previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>Checks an account's whole chain: "intact", or the first entry where it breaks and how.</summary>
    public async Task<ChainReport> VerifyAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.Activity.AsNoTracking().Where(e => e.AccountId == accountId).OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var previous = Genesis;
        long expected = 1;
        foreach (var entry in entries)
        {
            if (entry.Sequence != expected)
            {
                return ChainReport.Broken(entries.Count, entry, entry.Sequence > expected
                    ? $"Entry {expected} is missing: the log jumps from entry {expected - 1} to entry {entry.Sequence}."
                    : $"Entry {entry.Sequence} appears out of order (entry {expected} was expected here).");
            }

            if (!string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal))
            {
                return ChainReport.Broken(entries.Count, entry, $"Entry {entry.Sequence} does not follow the entry before it: an entry before it was removed, added or changed.");
            }

            if (!string.Equals(HashOf(entry, previous), entry.Hash, StringComparison.Ordinal))
            {
                return ChainReport.Broken(entries.Count, entry, $"Entry {entry.Sequence} was changed after it was written.");
            }

            previous = entry.Hash;
            expected++;
        }

        return new ChainReport(true, entries.Count, null, null, null, entries.Count == 0 ? "The log is empty." : $"Intact: all {entries.Count} entries are as they were written.");
    }

    /// <summary>Gives entries written before the chain existed their numbers and hashes, in the order they were written.</summary>
    internal static async Task BackfillAsync(CreatorKeysDbContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.Activity.Where(e => e.Hash == "").Select(e => e.AccountId).Distinct().ToListAsync(cancellationToken);
        foreach (var accountId in accounts)
        {
            // Entries from before the chain existed come first (the migration numbered them in the order written).
            var previous = Genesis;
            foreach (var entry in await db.Activity.Where(e => e.AccountId == accountId).OrderBy(e => e.Sequence).ToListAsync(cancellationToken))
            {
                if (entry.Hash.Length == 0)
                {
                    entry.PreviousHash = previous;
                    entry.Hash = HashOf(entry, previous);
                }

                previous = entry.Hash;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

public sealed record ChainReport(bool Intact, int Checked, long? BrokenAtSequence, DateTimeOffset? BrokenAt, ActivityAction? BrokenAction, string Message)
{
    public static ChainReport Broken(int count, ActivityEntry entry, string message) =>
        new(false, count, entry.Sequence, entry.At, entry.Action, message);
}

/// <summary>
/// Numbers and hashes new activity entries as they are saved, wherever they were staged. One
/// save with entries at a time in this process, so each reads the true end of its chain; the
/// unique (account, sequence) index guards the rest.
/// </summary>
internal sealed class ActivityChainInterceptor(Data.DataFolder dataFolder) : SaveChangesInterceptor
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    // The contexts whose save holds the gate, released when that save ends however it ends.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> Holders = new();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Entries(eventData.Context) is { Count: > 0 } entries)
        {
            Gate.Wait();
            Hold(eventData.Context!, entries);
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Entries(eventData.Context) is { Count: > 0 } entries)
        {
            await Gate.WaitAsync(cancellationToken);
            Hold(eventData.Context!, entries);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    private void Hold(DbContext context, List<ActivityEntry> entries)
    {
        try
        {
            Chain(entries);
        }
        catch
        {
            Gate.Release();
            throw;
        }

        Holders.AddOrUpdate(context, Holders);
    }

    private static void Release(DbContext? context)
    {
        if (context is not null && Holders.Remove(context))
        {
            Gate.Release();
        }
    }

    private static List<ActivityEntry> Entries(DbContext? context) =>
        context is null ? [] : [.. context.ChangeTracker.Entries<ActivityEntry>().Where(e => e.State == EntityState.Added && e.Entity.Hash.Length == 0).Select(e => e.Entity)];

    private void Chain(List<ActivityEntry> entries)
    {
        // A separate connection reads the committed end of each chain (this save has not started writing).
        using var connection = new SqliteConnection(dataFolder.ConnectionString);
        connection.Open();
        foreach (var account in entries.GroupBy(e => e.AccountId))
        {
            var (sequence, previous) = LastOf(connection, account.Key);
            foreach (var entry in account)
            {
                entry.Sequence = ++sequence;
                entry.PreviousHash = previous;
                entry.Hash = ActivityChain.HashOf(entry, previous);
                previous = entry.Hash;
            }
        }
    }

    private static (long Sequence, string Hash) LastOf(DbConnection connection, string accountId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Sequence\", \"Hash\" FROM \"Activity\" WHERE \"AccountId\" = $account AND \"Hash\" <> '' ORDER BY \"Sequence\" DESC LIMIT 1";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$account";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, ActivityChain.Genesis);
    }
}
