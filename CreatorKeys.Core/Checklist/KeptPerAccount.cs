using System.Collections.Concurrent;

namespace CreatorKeys.Core.Checklist;

/// <summary>
/// A result worked out from an account's whole vault (the dashboard's score, the inventory), kept between visits
/// until something it was computed from changes (<see cref="AccountChanges"/>), the day changes, or
/// <see cref="KeptFor"/> passes (for writes made by another instance).
/// <para>
/// One computation per account at a time: visits arriving meanwhile wait for it instead of each reading the whole
/// vault again (32 at once made the dashboard's p99 seconds long). The waiting happens on a fixed set of
/// <see cref="Stripes"/> locks chosen by the account id, not one lock per account ever seen, so the locks do not grow
/// with the number of accounts; two accounts that share a stripe merely take turns computing.
/// </para>
/// </summary>
public sealed class KeptPerAccount<T>
    where T : class
{
    /// <summary>How many locks the accounts share; a power of two.</summary>
    public const int Stripes = 64;

    private readonly ConcurrentDictionary<string, Kept> _kept = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly AccountChanges _changes;
    private readonly TimeProvider _time;
    private readonly Func<DateTimeOffset, DateOnly> _today;

    /// <param name="changes">The change counters a kept result must still match.</param>
    /// <param name="time">The clock.</param>
    /// <param name="keptFor">How long a result is kept at most, even with no change seen in this process.</param>
    /// <param name="today">The creator's day at a moment: a result computed on another day is not used.</param>
    public KeptPerAccount(AccountChanges changes, TimeProvider time, TimeSpan keptFor, Func<DateTimeOffset, DateOnly> today)
    {
        _changes = changes;
        _time = time;
        KeptFor = keptFor;
        _today = today;
    }

    public TimeSpan KeptFor { get; }

    /// <summary>The kept result, or a new one from <paramref name="compute"/> (called at most once at a time per account).</summary>
    public async Task<T> GetAsync(string accountId, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken = default)
    {
        if (Fresh(accountId) is { } kept)
        {
            return kept;
        }

        var gate = _locks[StringComparer.Ordinal.GetHashCode(accountId) & (Stripes - 1)];
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(accountId) is { } computedMeanwhile)
            {
                return computedMeanwhile;
            }

            // Kept under the counters read before the vault was: a change saved meanwhile moves them, so the next
            // visit computes again instead of keeping what this one read.
            var now = _time.GetUtcNow();
            var stamp = _changes.Stamp(accountId);
            var result = await compute(cancellationToken);
            _kept[accountId] = new Kept(stamp, _today(now), now + KeptFor, result);
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private T? Fresh(string accountId)
    {
        var now = _time.GetUtcNow();
        return _kept.TryGetValue(accountId, out var kept) && kept.Stamp == _changes.Stamp(accountId) && kept.Today == _today(now) && now < kept.Until
            ? kept.Value
            : null;
    }

    private sealed record Kept((long Everyone, long Account) Stamp, DateOnly Today, DateTimeOffset Until, T Value);
}
