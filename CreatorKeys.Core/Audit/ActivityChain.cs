using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreatorKeys.Core.Audit;

/// <summary>
/// The activity log's seal: each entry stores HMAC-SHA256 (under <see cref="ActivitySealKey"/>, a
/// server key outside the database) over its own content and the previous entry's seal, numbered
/// 1, 2, 3 … per account, and the head (count + a keyed seal) is kept apart in
/// <see cref="ActivityCheckpoint"/> and handed to the creator as a short code. Changing, removing or
/// reordering an entry breaks the chain at that entry; re-computing the chain needs the key; cutting
/// off the newest entries leaves the checkpoint (and any code the creator kept) pointing past the end.
/// <see cref="VerifyAsync"/> says which. Entries written before the key existed carry
/// <see cref="ActivityEntry.SealVersion"/> 0 (plain SHA-256); they are re-sealed once at start.
/// </summary>
/// <remarks>See docs/decisions/010-activity-log-seal.md.</remarks>
public sealed class ActivityChain(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivitySealKey sealKey)
{
    public const int Unkeyed = 0;
    public const int Keyed = 1;

    public static readonly string Genesis = new('0', 64);

    public static DateTimeOffset ToWholeMilliseconds(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);

    /// <summary>The unkeyed (version 0) hash of an entry, from its content, its number and the hash before it.</summary>
    public static string HashOf(ActivityEntry entry, string previousHash) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Content(entry, previousHash))));

    /// <summary>The keyed (version 1) seal of an entry.</summary>
    public static string SealOf(ReadOnlySpan<byte> key, ActivityEntry entry, string previousHash) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("creatorkeys/activity/v1\u001f" + Content(entry, previousHash))));

    /// <summary>The checkpoint's seal over the newest entry: the account, its number and its seal, under the key.</summary>
    public static string CheckpointSealOf(ReadOnlySpan<byte> key, string accountId, long sequence, string entrySeal) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(
            $"creatorkeys/activity-checkpoint/v1|{accountId}|{sequence.ToString(CultureInfo.InvariantCulture)}|{entrySeal}")));

    private static string Content(ActivityEntry entry, string previousHash) =>
        string.Join('\u001f',
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

    /// <summary>The account's current checkpoint (the code to keep), or null before its first entry.</summary>
    public async Task<ActivityCheckpoint?> CurrentCheckpointAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ActivityCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
    }

    /// <summary>
    /// Checks an account's whole log: "intact", or the first entry where it breaks and how, or how
    /// many of the newest entries are missing. With <paramref name="kept"/> (a code the creator kept),
    /// also proves that nothing up to that entry was changed, removed or reordered.
    /// </summary>
    public async Task<ChainReport> VerifyAsync(string accountId, ActivityCheckpointCode? kept = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = await db.Activity.AsNoTracking().Where(e => e.AccountId == accountId).OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var head = await db.ActivityCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
        var key = sealKey.Key.ToArray();
        var previous = Genesis;
        long expected = 1;
        var keyed = false;
        var unkeyed = 0;
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

            var expectedSeal = entry.SealVersion switch
            {
                Keyed => SealOf(key, entry, previous),
                Unkeyed when !keyed => HashOf(entry, previous),
                _ => null,
            };
            if (expectedSeal is null)
            {
                return ChainReport.Broken(entries.Count, entry, $"Entry {entry.Sequence} is not sealed with this server's key: it was rewritten after it was written.");
            }

            if (!string.Equals(expectedSeal, entry.Hash, StringComparison.Ordinal))
            {
                return ChainReport.Broken(entries.Count, entry, $"Entry {entry.Sequence} was changed after it was written.");
            }

            keyed |= entry.SealVersion == Keyed;
            unkeyed += entry.SealVersion == Unkeyed ? 1 : 0;
            previous = entry.Hash;
            expected++;
        }

        var count = entries.Count;
        string CheckpointAt(long sequence) => CheckpointSealOf(key, accountId, sequence, entries[(int)sequence - 1].Hash);

        if (head is not null && head.Sequence > count)
        {
            return ChainReport.TailMissing(count, head.Sequence,
                $"The newest {Entries(head.Sequence - count)} missing: the log ends at entry {count}, but it had reached entry {head.Sequence}.");
        }

        if (kept is not null && kept.Sequence > count)
        {
            return ChainReport.TailMissing(count, kept.Sequence,
                $"The newest {Entries(kept.Sequence - count)} missing: the code you kept is for entry {kept.Sequence}, but the log ends at entry {count}.");
        }

        if (count > 0 && (head is null || head.Sequence < 1 || !string.Equals(head.Seal, CheckpointAt(head.Sequence), StringComparison.Ordinal)))
        {
            return new ChainReport(false, count, null, null, null,
                "The log's checkpoint is missing or does not match its newest entries: entries were removed or rewritten, or the checkpoint was.");
        }

        if (kept is not null && !CheckpointAt(kept.Sequence).StartsWith(kept.Tag, StringComparison.OrdinalIgnoreCase))
        {
            return new ChainReport(false, count, kept.Sequence, entries[(int)kept.Sequence - 1].At, entries[(int)kept.Sequence - 1].Action,
                $"The code you kept does not match entry {kept.Sequence}: something up to that entry was changed, removed or reordered (or the code was mistyped).");
        }

        if (unkeyed > 0)
        {
            return new ChainReport(false, count, null, null, null,
                $"Entries 1–{unkeyed} are sealed without this server's key (they were written before the log had one, and the older chain could not be re-sealed), so a change to them could be hidden.");
        }

        var message = count == 0 ? "The log is empty." : $"Intact: all {count} entries are as they were written.";
        if (kept is not null)
        {
            message += $" Your code proves nothing up to entry {kept.Sequence} was changed, removed or reordered.";
        }

        return new ChainReport(true, count, null, null, null, message) { KeptCodeConfirmed = kept is not null };

        static string Entries(long n) => n == 1 ? "entry is" : $"{n} entries are";
    }

    /// <summary>
    /// At start: numbers and hashes entries written before the chain existed, and re-seals, once,
    /// every account whose log is still unkeyed (version 0) under the key, but only when its
    /// unkeyed chain is intact; a broken one is left as it is, so Verify keeps saying where it broke.
    /// </summary>
    internal async Task SealOlderEntriesAsync(CreatorKeysDbContext db, CancellationToken cancellationToken)
    {
        var accounts = await db.Activity.Where(e => e.SealVersion == Unkeyed).Select(e => e.AccountId).Distinct().ToListAsync(cancellationToken);
        var key = sealKey.Key.ToArray();
        try
        {
            foreach (var accountId in accounts)
            {
                var entries = await db.Activity.Where(e => e.AccountId == accountId).OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(cancellationToken);
                var previous = Genesis;
                var intact = true;
                long expected = 1;
                foreach (var entry in entries)
                {
                    if (entry.Hash.Length == 0)
                    {
                        // Entries from before the chain existed (the migration numbered them in the order written).
                        entry.PreviousHash = previous;
                        entry.Hash = HashOf(entry, previous);
                    }

                    intact &= entry.SealVersion == Unkeyed && entry.Sequence == expected++
                        && string.Equals(entry.PreviousHash, previous, StringComparison.Ordinal)
                        && string.Equals(entry.Hash, HashOf(entry, previous), StringComparison.Ordinal);
                    previous = entry.Hash;
                }

                if (intact)
                {
                    previous = Genesis;
                    foreach (var entry in entries)
                    {
                        entry.SealVersion = Keyed;
                        entry.PreviousHash = previous;
                        entry.Hash = SealOf(key, entry, previous);
                        previous = entry.Hash;
                    }
                }

                var last = entries[^1];
                var checkpoint = await db.ActivityCheckpoints.SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
                if (checkpoint is null)
                {
                    checkpoint = new ActivityCheckpoint { AccountId = accountId };
                    db.ActivityCheckpoints.Add(checkpoint);
                }

                checkpoint.Sequence = last.Sequence;
                checkpoint.Seal = CheckpointSealOf(key, accountId, last.Sequence, last.Hash);
                checkpoint.At = last.At;
            }

            await db.SaveChangesAsync(cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

public sealed record ChainReport(bool Intact, int Checked, long? BrokenAtSequence, DateTimeOffset? BrokenAt, ActivityAction? BrokenAction, string Message)
{
    /// <summary>How many of the newest entries are gone (a checkpoint or a kept code reaches past the end); 0 when none.</summary>
    public long MissingNewest { get; init; }

    /// <summary>A code the creator kept was checked and matched.</summary>
    public bool KeptCodeConfirmed { get; init; }

    public static ChainReport Broken(int count, ActivityEntry entry, string message) =>
        new(false, count, entry.Sequence, entry.At, entry.Action, message);

    public static ChainReport TailMissing(int count, long reached, string message) =>
        new(false, count, null, null, null, message) { MissingNewest = reached - count };
}

/// <summary>
/// Numbers and hashes new activity entries as they are saved, wherever they were staged. One
/// save with entries at a time in this app instance (a gate), and on PostgreSQL one at a time across
/// every instance on the database (an advisory lock, <see cref="Data.SharedLocks.ActivityChain"/>, held
/// from reading the end of the chain until the save has committed), so each reads the true end of its
/// chain and no two instances fork it; the unique (account, sequence) index guards the rest.
/// </summary>
internal sealed class ActivityChainInterceptor(Data.Database database, ActivitySealKey sealKey) : SaveChangesInterceptor, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The contexts whose save holds the gate, with the connection that holds the shared lock (and read the chain's
    // end), released when that save ends however it ends.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, Data.SharedLock> _holders = new();

    public void Dispose() => _gate.Dispose();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (Entries(eventData.Context) is { Count: > 0 } entries)
        {
            _gate.Wait();
            Data.SharedLock? shared = null;
            try
            {
                shared = database.Lock(Data.SharedLocks.ActivityChain);
                Hold(eventData.Context!, entries, shared);
            }
            catch
            {
                shared?.Dispose();
                _gate.Release();
                throw;
            }
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (Entries(eventData.Context) is { Count: > 0 } entries)
        {
            await _gate.WaitAsync(cancellationToken);
            Data.SharedLock? shared = null;
            try
            {
                shared = await database.LockAsync(Data.SharedLocks.ActivityChain, cancellationToken);
                Hold(eventData.Context!, entries, shared);
            }
            catch
            {
                if (shared is not null)
                {
                    await shared.DisposeAsync();
                }

                _gate.Release();
                throw;
            }
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await ReleaseAsync(eventData.Context);
        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override void SaveChangesCanceled(DbContextEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        ReleaseAsync(eventData.Context).AsTask();

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        ReleaseAsync(eventData.Context).AsTask();

    private void Hold(DbContext context, List<ActivityEntry> entries, Data.SharedLock shared)
    {
        Chain(context, entries, shared.Connection);
        _holders.AddOrUpdate(context, shared);
    }

    private void Release(DbContext? context)
    {
        if (context is not null && _holders.TryGetValue(context, out var shared) && _holders.Remove(context))
        {
            try
            {
                shared.Dispose();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private async ValueTask ReleaseAsync(DbContext? context)
    {
        if (context is not null && _holders.TryGetValue(context, out var shared) && _holders.Remove(context))
        {
            try
            {
                await shared.DisposeAsync();
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    private static List<ActivityEntry> Entries(DbContext? context) =>
        context is null ? [] : [.. context.ChangeTracker.Entries<ActivityEntry>().Where(e => e.State == EntityState.Added && e.Entity.Hash.Length == 0).Select(e => e.Entity)];

    private void Chain(DbContext context, List<ActivityEntry> entries, DbConnection connection)
    {
        // A separate connection (the one holding the shared lock) reads the committed end of each chain: this save
        // has not started writing, and any other save that added to it has committed and let go of the lock.
        var key = sealKey.Key;
        foreach (var account in entries.GroupBy(e => e.AccountId))
        {
            var (sequence, previous) = LastOf(connection, account.Key);
            ActivityEntry? last = null;
            foreach (var entry in account)
            {
                entry.Sequence = ++sequence;
                entry.PreviousHash = previous;
                entry.SealVersion = ActivityChain.Keyed;
                entry.Hash = ActivityChain.SealOf(key, entry, previous);
                previous = entry.Hash;
                last = entry;
            }

            MoveCheckpoint(context, connection, account.Key, last!, ActivityChain.CheckpointSealOf(key, account.Key, last!.Sequence, last.Hash));
        }
    }

    /// <summary>The account's checkpoint follows its newest entry, in the same save (so in the same transaction).</summary>
    private static void MoveCheckpoint(DbContext context, DbConnection connection, string accountId, ActivityEntry last, string seal)
    {
        var checkpoint = context.ChangeTracker.Entries<ActivityCheckpoint>().FirstOrDefault(e => e.Entity.AccountId == accountId)?.Entity;
        if (checkpoint is null)
        {
            checkpoint = new ActivityCheckpoint { AccountId = accountId };
            if (CheckpointExists(connection, accountId))
            {
                context.Attach(checkpoint);
                context.Entry(checkpoint).State = EntityState.Modified;
            }
            else
            {
                context.Add(checkpoint);
            }
        }

        checkpoint.Sequence = last.Sequence;
        checkpoint.Seal = seal;
        checkpoint.At = last.At;
    }

    private static bool CheckpointExists(DbConnection connection, string accountId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM \"ActivityCheckpoints\" WHERE \"AccountId\" = @account";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@account";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        return command.ExecuteScalar() is not null;
    }

    private static (long Sequence, string Hash) LastOf(DbConnection connection, string accountId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Sequence\", \"Hash\" FROM \"Activity\" WHERE \"AccountId\" = @account AND \"Hash\" <> '' ORDER BY \"Sequence\" DESC LIMIT 1";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@account";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, ActivityChain.Genesis);
    }
}
