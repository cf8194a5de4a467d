using CreatorKeys.Core.Checklist;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Core.Checklist;

/// <summary>The one per-account cache behind the dashboard's score and the inventory.</summary>
public sealed class KeptPerAccountTests
{
    private static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(2);

    private readonly AccountChanges _changes = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task GetAsync_AChangeToTheAccount_MakesTheNextReadCompute()
    {
        var kept = NewKept();
        var computed = 0;
        Task<string> Compute(CancellationToken _) => Task.FromResult($"result {++computed}");

        var first = await kept.GetAsync("a", Compute);
        var again = await kept.GetAsync("a", Compute);
        _changes.Changed("a");
        var afterChange = await kept.GetAsync("a", Compute);
        _changes.ChangedForEveryone();
        var afterEveryone = await kept.GetAsync("a", Compute);
        _time.Advance(KeptFor);
        var afterLimit = await kept.GetAsync("a", Compute);

        Assert.Equal(["result 1", "result 1", "result 2", "result 3", "result 4"], [first, again, afterChange, afterEveryone, afterLimit]);
    }

    [Fact]
    public async Task GetAsync_TheDayChanging_MakesTheNextReadCompute()
    {
        // Kept for two days, so only the day (UTC here; the creator's time zone in the app) can end it.
        var kept = new KeptPerAccount<string>(_changes, _time, TimeSpan.FromDays(2), now => DateOnly.FromDateTime(now.UtcDateTime));
        var computed = 0;
        Task<string> Compute(CancellationToken _) => Task.FromResult($"result {++computed}");
        await kept.GetAsync("a", Compute);

        _time.Advance(TimeSpan.FromHours(11));
        var lateSameDay = await kept.GetAsync("a", Compute);
        _time.Advance(TimeSpan.FromHours(1));
        var nextDay = await kept.GetAsync("a", Compute);

        Assert.Equal(("result 1", "result 2"), (lateSameDay, nextDay));
    }

    [Fact]
    public async Task GetAsync_TwoAccounts_NeverSeeEachOthersResult()
    {
        var kept = NewKept();

        var a = await kept.GetAsync("a", _ => Task.FromResult("a's result"));
        var b = await kept.GetAsync("b", _ => Task.FromResult("b's result"));
        _changes.Changed("b");
        var aAgain = await kept.GetAsync("a", _ => Task.FromResult("a recomputed"));
        var bAgain = await kept.GetAsync("b", _ => Task.FromResult("b recomputed"));

        Assert.Equal(("a's result", "b's result", "a's result", "b recomputed"), (a, b, aAgain, bAgain));
    }

    [Fact]
    public async Task GetAsync_ConcurrentFirstReads_ComputeOnce()
    {
        var kept = NewKept();
        var computed = 0;
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<string> Compute(CancellationToken _)
        {
            Interlocked.Increment(ref computed);
            return release.Task;
        }

        var reads = Enumerable.Range(0, 16).Select(_ => Task.Run(() => kept.GetAsync("a", Compute))).ToList();
        // Every read has either started the computation or is waiting for it once the first one is under way.
        while (Volatile.Read(ref computed) == 0)
        {
            await Task.Yield();
        }

        release.SetResult("the one result");
        var results = await Task.WhenAll(reads);

        Assert.Equal(1, computed);
        Assert.All(results, r => Assert.Equal("the one result", r));
    }

    [Fact]
    public async Task GetAsync_ManyAccounts_ShareAFixedSetOfLocks()
    {
        var kept = NewKept();

        // Accounts beyond the number of locks still each get their own result (sharing a lock only means taking turns).
        for (var i = 0; i < KeptPerAccount<string>.Stripes * 4; i++)
        {
            var account = $"account-{i}";
            Assert.Equal(account, await kept.GetAsync(account, _ => Task.FromResult(account)));
        }

        Assert.Equal("account-5", await kept.GetAsync("account-5", _ => Task.FromResult("recomputed")));
    }

    private KeptPerAccount<string> NewKept() => new(_changes, _time, KeptFor, now => DateOnly.FromDateTime(now.UtcDateTime));
}
