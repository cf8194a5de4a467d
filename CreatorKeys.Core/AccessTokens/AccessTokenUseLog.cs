using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.AccessTokens;

/// <summary>
/// Records each use of an access token (one activity entry per request, and the token's "last used") with a group
/// commit: a request's use is queued, and whichever request finds no save running writes every use queued so far in
/// one save (one transaction, one trip through the activity chain's gate). The request's answer waits until its own
/// entry is committed, so a crash loses no record of a value that was served; under load, concurrent requests share
/// one commit instead of queueing on one commit each. See docs/decisions/016-access-tokens.md.
/// </summary>
public sealed class AccessTokenUseLog(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivityService activity, TimeProvider time) : IDisposable
{
    private readonly object _queueLock = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private List<Use> _queue = [];
    private int _batches;

    /// <summary>How many saves have written uses so far (tests: concurrent uses share one).</summary>
    internal int BatchesWritten => Volatile.Read(ref _batches);

    /// <summary>How many uses wait for a save (tests).</summary>
    internal int Queued
    {
        get
        {
            lock (_queueLock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>The one-save-at-a-time gate (tests hold it to make uses queue).</summary>
    internal SemaphoreSlim WriterGate => _writer;

    public void Dispose() => _writer.Dispose();

    /// <summary>
    /// Records one use and returns once it is committed. The request's cancellation is not passed on: a value has
    /// been read, so its record is written even if the caller has gone.
    /// </summary>
    public async Task RecordAsync(TokenGrant grant, RequestOrigin origin, string what)
    {
        var use = new Use(grant.AccountId, grant.TokenId, grant.Name, grant.Environment, origin, what, time.GetUtcNow());
        lock (_queueLock)
        {
            _queue.Add(use);
        }

        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            // An earlier holder of the gate may have written this use along with its own.
            if (!use.Done.Task.IsCompleted)
            {
                await WriteQueuedAsync();
            }
        }
        finally
        {
            _writer.Release();
        }

        // Completed by whichever request wrote this use's batch (continuations run asynchronously, so no deadlock).
#pragma warning disable VSTHRD003
        await use.Done.Task;
#pragma warning restore VSTHRD003
    }

    private async Task WriteQueuedAsync()
    {
        List<Use> batch;
        lock (_queueLock)
        {
            batch = _queue;
            _queue = [];
        }

        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var tokenIds = batch.Select(u => u.TokenId).Distinct().ToList();
            var tokens = await db.AccessTokens.Where(t => tokenIds.Contains(t.Id)).ToListAsync(CancellationToken.None);
            foreach (var use in batch)
            {
                if (tokens.Find(t => t.Id == use.TokenId) is { } token && (token.LastUsedAt is null || token.LastUsedAt <= use.At))
                {
                    token.LastUsedAt = use.At;
                    token.LastUsedFrom = use.Origin.IpAddress;
                }

                activity.Stage(db, use.AccountId, ActivityAction.AccessTokenUsed, use.Origin, use.TokenId, $"{use.TokenName}: {use.What}", use.Environment);
            }

            await db.SaveChangesAsync(CancellationToken.None);
            Interlocked.Increment(ref _batches);
            foreach (var use in batch)
            {
                use.Done.TrySetResult();
            }
        }
        catch (Exception e)
        {
            // Nothing of the batch was committed (one transaction): every request in it fails, as its own write would have.
            foreach (var use in batch)
            {
                use.Done.TrySetException(e);
            }
        }
    }

    private sealed record Use(string AccountId, string TokenId, string TokenName, Vault.VaultEnvironment Environment, RequestOrigin Origin, string What, DateTimeOffset At)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
