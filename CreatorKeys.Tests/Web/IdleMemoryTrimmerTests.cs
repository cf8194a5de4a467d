using CreatorKeys.Web;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web;

public sealed class IdleMemoryTrimmerTests
{
    private const long Mb = 1024 * 1024;

    private static readonly IdleMemoryTrimmer.MemoryReading MuchToReturn = new(CommittedBytes: 150 * Mb, HeapBytes: 40 * Mb);

    [Fact]
    public async Task QuietServerHoldingMuchMore_TrimsOncePerQuietSpell()
    {
        await using var run = await TrimmerRun.StartAsync(MuchToReturn);

        await run.PeriodAsync(allocatedMb: 50); // busy: pages opening
        Assert.Equal(0, run.Trims);
        await run.PeriodAsync(allocatedMb: 0); // quiet
        Assert.Equal(1, run.Trims);
        await run.PeriodAsync(allocatedMb: 0); // still quiet: already given back
        await run.PeriodAsync(allocatedMb: 0);
        Assert.Equal(1, run.Trims);
        await run.PeriodAsync(allocatedMb: 20); // busy again
        await run.PeriodAsync(allocatedMb: 0); // and quiet again
        Assert.Equal(2, run.Trims);
    }

    [Fact]
    public async Task BusyServer_IsNeverTrimmed()
    {
        await using var run = await TrimmerRun.StartAsync(MuchToReturn);

        for (var i = 0; i < 5; i++)
        {
            await run.PeriodAsync(allocatedMb: 2);
        }

        Assert.Equal(0, run.Trims);
    }

    [Fact]
    public async Task QuietServerHoldingLittleMore_IsLeftAlone()
    {
        await using var run = await TrimmerRun.StartAsync(new IdleMemoryTrimmer.MemoryReading(CommittedBytes: 45 * Mb, HeapBytes: 40 * Mb));

        await run.PeriodAsync(allocatedMb: 0);
        await run.PeriodAsync(allocatedMb: 0);

        Assert.Equal(0, run.Trims);
    }

    [Theory]
    [InlineData(0, 150, 40, false, true)]
    [InlineData(1, 150, 40, false, true)] // a circuit's keep-alive is not work
    [InlineData(2, 150, 40, false, false)]
    [InlineData(0, 150, 40, true, false)]
    [InlineData(0, 47, 40, false, false)]
    [InlineData(0, 48, 40, false, true)]
    public void ShouldTrim_QuietNotYetTrimmedAndWorthIt(long allocatedMb, long committedMb, long heapMb, bool alreadyTrimmed, bool expected) =>
        Assert.Equal(expected, IdleMemoryTrimmer.ShouldTrim(allocatedMb * Mb, new IdleMemoryTrimmer.MemoryReading(committedMb * Mb, heapMb * Mb), alreadyTrimmed));

    [Fact]
    public void TrimProcess_RunsAFullBlockingCollectionOnThisPlatform()
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        // The real trim: pools cleared, an aggressive collection, glibc's malloc_trim bound and called (or skipped).
        IdleMemoryTrimmer.TrimProcess();

        Assert.True(GC.GetGCMemoryInfo(GCKind.FullBlocking).Index > before);
    }

    /// <summary>
    /// The trimmer on a fake clock with a fake "GC": each <see cref="PeriodAsync"/> says how much the server allocated
    /// in the next check period, moves the clock on by one period and waits until the trimmer has looked.
    /// </summary>
    private sealed class TrimmerRun : IAsyncDisposable
    {
        private readonly FakeTimeProvider _time = new();
        private readonly SemaphoreSlim _checked = new(0);
        private readonly IdleMemoryTrimmer _trimmer;
        private long _allocated;
        private int _trims;

        private TrimmerRun(IdleMemoryTrimmer.MemoryReading reading)
        {
            _trimmer = new IdleMemoryTrimmer(
                _time,
                NullLogger<IdleMemoryTrimmer>.Instance,
                () => Interlocked.Read(ref _allocated),
                () => reading,
                () => Interlocked.Increment(ref _trims),
                () => _checked.Release());
        }

        public int Trims => Volatile.Read(ref _trims);

        public static async Task<TrimmerRun> StartAsync(IdleMemoryTrimmer.MemoryReading reading)
        {
            var run = new TrimmerRun(reading);
            await run._trimmer.StartAsync(CancellationToken.None);
            return run;
        }

        public async Task PeriodAsync(long allocatedMb)
        {
            Interlocked.Add(ref _allocated, allocatedMb * Mb);
            _time.Advance(IdleMemoryTrimmer.CheckEvery);
            // A ceiling, not a wait: returns the moment the trimmer has decided about this period.
            Assert.True(await _checked.WaitAsync(TimeSpan.FromSeconds(30)), "The trimmer did not check the period.");
        }

        public async ValueTask DisposeAsync()
        {
            await _trimmer.StopAsync(CancellationToken.None);
            _trimmer.Dispose();
            _checked.Dispose();
        }
    }
}
