namespace CreatorKeys.Web;

/// <summary>
/// Gives memory back to the machine once the server has gone quiet. .NET's garbage collector keeps the
/// memory it grew to during a burst of work (pages opening, an export) and, on a server nobody is
/// clicking, does not run again to return it: after 50 browser tabs opened, 149 MB stayed committed
/// for 34 MB of live objects. CreatorKeys mostly runs on a creator's own small machine and sits idle
/// for hours, so once the server has allocated almost nothing for half a minute
/// (<see cref="QuietPeriods"/> checks in a row) and the collector holds more than the live objects
/// need, it runs one compacting collection that hands the surplus back
/// (<see cref="GCCollectionMode.Aggressive"/>) and asks the C library to return what it freed. Once
/// per quiet spell: the next trim waits until the server has been busy and gone quiet again, so a
/// creator clicking around never pays for it; the pause (tens of milliseconds) comes after half a
/// minute without work.
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>How often the server looks at what it allocated since the last look.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    /// <summary>Quiet checks in a row before the server counts as idle: half a minute.</summary>
    public const int QuietPeriods = 6;

    /// <summary>Allocated in one period, at most, for it to count as quiet (a circuit's keep-alive is bytes).</summary>
    public const long QuietBytes = 1024 * 1024;

    /// <summary>Memory held beyond the live objects before a trim is worth a pause.</summary>
    public const long WorthReturningBytes = 8 * 1024 * 1024;

    private readonly ILogger<IdleMemoryTrimmer> _logger;
    private readonly Func<long> _allocatedBytes;
    private readonly Func<MemoryReading> _read;
    private readonly Func<bool> _trim;
    private readonly Action? _periodChecked;

    // Made with the service, not in ExecuteAsync (which .NET 10 starts on a pool thread), so the periods
    // count from construction.
    private readonly PeriodicTimer _timer;

    // Only the check loop touches these, one period at a time.
    private long _allocatedAtLastCheck;
    private int _quietInARow;
    private bool _quietSpellHandled;

    public IdleMemoryTrimmer(TimeProvider time, ILogger<IdleMemoryTrimmer> logger)
        : this(time, logger, () => GC.GetTotalAllocatedBytes(), ReadGc, TrimProcess)
    {
    }

    /// <summary>For tests: the readings and the trim itself are given, so a test decides what the "GC" reports.</summary>
    internal IdleMemoryTrimmer(TimeProvider time, ILogger<IdleMemoryTrimmer> logger, Func<long> allocatedBytes, Func<MemoryReading> read, Func<bool> trim, Action? periodChecked = null)
    {
        _logger = logger;
        _allocatedBytes = allocatedBytes;
        _read = read;
        _trim = trim;
        _periodChecked = periodChecked;
        _timer = new PeriodicTimer(CheckEvery, time);
        _allocatedAtLastCheck = allocatedBytes();
    }

    /// <summary>What the collector holds: committed memory and the size of the heap after its last collection.</summary>
    internal readonly record struct MemoryReading(long CommittedBytes, long HeapBytes);

    /// <summary>Whether the collector holds enough beyond the live objects for a trim to be worth its pause.</summary>
    internal static bool WorthReturning(MemoryReading reading) =>
        reading.CommittedBytes - reading.HeapBytes >= WorthReturningBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    CheckPeriod();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Giving memory back is a courtesy: a failure is logged and the app carries on.
                    LogFailed(_logger, ex);
                    _quietSpellHandled = true;
                }

                _periodChecked?.Invoke();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private void CheckPeriod()
    {
        var now = _allocatedBytes();
        var inPeriod = now - _allocatedAtLastCheck;
        _allocatedAtLastCheck = now;
        if (inPeriod > QuietBytes)
        {
            _quietInARow = 0;
            _quietSpellHandled = false;
            return;
        }

        _quietInARow++;
        if (_quietSpellHandled || _quietInARow < QuietPeriods)
        {
            return;
        }

        var before = _read();
        if (WorthReturning(before))
        {
            var returnedNative = _trim();
            var after = _read();
            LogTrimmed(_logger, Mb(before.CommittedBytes), Mb(after.CommittedBytes), Mb(after.HeapBytes), returnedNative);
            // The trim's own allocations are not work: start the next period from here.
            _allocatedAtLastCheck = _allocatedBytes();
        }
        else
        {
            LogNothingToReturn(_logger, Mb(before.CommittedBytes), Mb(before.HeapBytes));
        }

        _quietSpellHandled = true;
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// The trim: one aggressive compacting collection, then, on Linux with glibc, the C library asked to hand
    /// its freed pages back (it keeps them otherwise). True when the C library was asked.
    /// SQLite's pooled connections are left alone: clearing the pools while a request opens a connection can
    /// close it under that request, and the pool closes idle connections on its own every few minutes.
    /// </summary>
    internal static bool TrimProcess()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            _ = NativeMethods.malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Not glibc (musl, for one): nothing to ask.
            return false;
        }
    }

    private static MemoryReading ReadGc()
    {
        var info = GC.GetGCMemoryInfo();
        return new MemoryReading(info.TotalCommittedBytes, info.HeapSizeBytes);
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Server quiet: gave memory back, committed {BeforeMb} MB -> {AfterMb} MB (live objects {HeapMb} MB; C library asked: {ReturnedNative})")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb, long heapMb, bool returnedNative);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Debug, Message = "Server quiet: nothing worth giving back, committed {CommittedMb} MB (live objects {HeapMb} MB)")]
    private static partial void LogNothingToReturn(ILogger logger, long committedMb, long heapMb);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Warning, Message = "Server quiet: giving memory back failed; the app carries on")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code turned on for the project; one blittable call does not
        [System.Runtime.InteropServices.DllImport("libc", ExactSpelling = true)]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        internal static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
    }
}
