using CreatorKeys.Web;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web;

public sealed class IdleMemoryTrimmerTests
{
    private const long Mb = 1024 * 1024;

    private static readonly IdleMemoryTrimmer.MemoryReading MuchToReturn = new(CommittedBytes: 150 * Mb, HeapBytes: 40 * Mb);

    [Fact]
    public async Task QuietServerHoldingMuchMore_TrimsOnceAfterHalfAMinuteOfQuiet()
    {
        await using var run = await TrimmerRun.StartAsync(MuchToReturn);

        await run.PeriodAsync(allocatedMb: 50); // busy: pages opening
        for (var i = 1; i < IdleMemoryTrimmer.QuietPeriods; i++)
        {
            await run.PeriodAsync(allocatedMb: 0); // a creator reading the page: not yet idle
        }

        Assert.Equal(0, run.Trims);
        await run.PeriodAsync(allocatedMb: 0); // half a minute without work
        Assert.Equal(1, run.Trims);
        await run.QuietSpellAsync(); // still quiet: already given back
        Assert.Equal(1, run.Trims);
        await run.PeriodAsync(allocatedMb: 20); // busy again
        await run.QuietSpellAsync(); // and quiet again
        Assert.Equal(2, run.Trims);
    }

    [Fact]
    public async Task ServerBusyEveryFewPeriods_IsNeverTrimmed()
    {
        await using var run = await TrimmerRun.StartAsync(MuchToReturn);

        for (var click = 0; click < 5; click++)
        {
            await run.PeriodAsync(allocatedMb: 2); // a click every 20 s
            await run.PeriodAsync(allocatedMb: 0);
            await run.PeriodAsync(allocatedMb: 0);
            await run.PeriodAsync(allocatedMb: 0);
        }

        Assert.Equal(0, run.Trims);
    }

    [Fact]
    public async Task QuietServerHoldingLittleMore_IsLeftAlone()
    {
        await using var run = await TrimmerRun.StartAsync(new IdleMemoryTrimmer.MemoryReading(CommittedBytes: 45 * Mb, HeapBytes: 40 * Mb));

        await run.QuietSpellAsync();
        await run.QuietSpellAsync();

        Assert.Equal(0, run.Trims);
    }

    [Fact]
    public async Task TrimThatFails_IsLoggedAndTheServiceCarriesOn()
    {
        await using var run = await TrimmerRun.StartAsync(MuchToReturn, failing: true);

        await run.QuietSpellAsync();
        await run.QuietSpellAsync(); // not retried within the same quiet spell
        Assert.Equal(1, run.Trims);
        await run.PeriodAsync(allocatedMb: 20);
        await run.QuietSpellAsync();

        Assert.Equal(2, run.Trims);
        Assert.False(run.Stopped);
    }

    [Theory]
    [InlineData(150, 40, true)]
    [InlineData(48, 40, true)]
    [InlineData(47, 40, false)]
    [InlineData(40, 40, false)]
    public void WorthReturning_FromEightMegabytesBeyondTheLiveHeap(long committedMb, long heapMb, bool expected) =>
        Assert.Equal(expected, IdleMemoryTrimmer.WorthReturning(new IdleMemoryTrimmer.MemoryReading(committedMb * Mb, heapMb * Mb)));

    [Fact]
    public void TrimProcess_CollectsAndAsksGlibcToReturnFreedPages()
    {
        var before = GC.GetGCMemoryInfo(GCKind.FullBlocking).Index;

        var askedCLibrary = IdleMemoryTrimmer.TrimProcess();

        Assert.True(GC.GetGCMemoryInfo(GCKind.FullBlocking).Index > before);
        // Bound and called on glibc Linux (this machine and the Docker image); skipped on musl and elsewhere.
        var glibc = OperatingSystem.IsLinux() && !System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.Ordinal);
        Assert.Equal(glibc, askedCLibrary);
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

        private TrimmerRun(IdleMemoryTrimmer.MemoryReading reading, bool failing)
        {
            _trimmer = new IdleMemoryTrimmer(
                _time,
                NullLogger<IdleMemoryTrimmer>.Instance,
                () => Interlocked.Read(ref _allocated),
                () => reading,
                () =>
                {
                    Interlocked.Increment(ref _trims);
                    return failing ? throw new InvalidOperationException("The trim failed.") : true;
                },
                () => _checked.Release());
        }

        public int Trims => Volatile.Read(ref _trims);

        /// <summary>Whether the service's loop has ended (an exception would end it and stop the app).</summary>
        public bool Stopped => _trimmer.ExecuteTask is { IsCompleted: true };

        public static async Task<TrimmerRun> StartAsync(IdleMemoryTrimmer.MemoryReading reading, bool failing = false)
        {
            var run = new TrimmerRun(reading, failing);
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

        public async Task QuietSpellAsync()
        {
            for (var i = 0; i < IdleMemoryTrimmer.QuietPeriods; i++)
            {
                await PeriodAsync(allocatedMb: 0);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _trimmer.StopAsync(CancellationToken.None);
            _trimmer.Dispose();
            _checked.Dispose();
        }
    }
}
