namespace CreatorKeys.Web;

/// <summary>
/// Gives memory back to the machine once the server has gone quiet. .NET's garbage collector keeps the
/// memory it grew to during a burst of work (pages opening, an export) and, on a server nobody is
/// clicking, does not run again to return it: after 50 browser tabs opened, 135 MB stayed committed
/// for 45 MB of live objects. CreatorKeys mostly runs on a creator's own small machine and sits idle
/// for hours, so when a whole check period passes with almost nothing allocated, and the collector
/// holds more than the live objects need, it closes idle database connections, runs one compacting
/// collection that hands the surplus back (<see cref="GCCollectionMode.Aggressive"/>) and asks the C
/// library to return what it freed. Once per quiet spell: the next trim waits until the server has
/// been busy and gone quiet again. The pause (tens of milliseconds) falls when nobody is waiting.
/// </summary>
internal sealed partial class IdleMemoryTrimmer : BackgroundService
{
    /// <summary>How often the server looks at what it allocated since the last look.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    /// <summary>Allocated in one period, at most, for the server to count as quiet (a circuit's keep-alive is bytes).</summary>
    public const long QuietBytes = 1024 * 1024;

    /// <summary>Memory held beyond the live objects before a trim is worth a pause.</summary>
    public const long WorthReturningBytes = 8 * 1024 * 1024;

    private readonly ILogger<IdleMemoryTrimmer> _logger;
    private readonly Func<long> _allocatedBytes;
    private readonly Func<MemoryReading> _read;
    private readonly Action _trim;
    private readonly Action? _periodChecked;

    // Made with the service, not in ExecuteAsync (which .NET 10 starts on a pool thread), so the periods
    // count from construction.
    private readonly PeriodicTimer _timer;

    // Only the check loop touches these, one period at a time.
    private long _allocatedAtLastCheck;
    private bool _quietSpellHandled;

    public IdleMemoryTrimmer(TimeProvider time, ILogger<IdleMemoryTrimmer> logger)
        : this(time, logger, () => GC.GetTotalAllocatedBytes(), ReadGc, TrimProcess)
    {
    }

    /// <summary>For tests: the readings and the trim itself are given, so a test decides what the "GC" reports.</summary>
    internal IdleMemoryTrimmer(TimeProvider time, ILogger<IdleMemoryTrimmer> logger, Func<long> allocatedBytes, Func<MemoryReading> read, Action trim, Action? periodChecked = null)
    {
        _periodChecked = periodChecked;
        _timer = new PeriodicTimer(CheckEvery, time);
        _allocatedAtLastCheck = allocatedBytes();
        _logger = logger;
        _allocatedBytes = allocatedBytes;
        _read = read;
        _trim = trim;
    }

    /// <summary>What the collector holds: committed memory and the size of the heap after its last collection.</summary>
    internal readonly record struct MemoryReading(long CommittedBytes, long HeapBytes);

    /// <summary>Whether this quiet period should end in a trim.</summary>
    internal static bool ShouldTrim(long allocatedInPeriod, MemoryReading reading, bool trimmedThisQuietSpell) =>
        allocatedInPeriod <= QuietBytes
        && !trimmedThisQuietSpell
        && reading.CommittedBytes - reading.HeapBytes >= WorthReturningBytes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                CheckPeriod();
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
            _quietSpellHandled = false;
            return;
        }

        if (_quietSpellHandled)
        {
            return;
        }

        var before = _read();
        if (ShouldTrim(inPeriod, before, _quietSpellHandled))
        {
            _trim();
            var after = _read();
            LogTrimmed(_logger, Mb(before.CommittedBytes), Mb(after.CommittedBytes), Mb(after.HeapBytes));
            // The trim allocates nothing worth counting, but start the next period from here.
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
    /// The trim: idle database connections closed (each keeps up to 2 MB of SQLite's page cache, in native
    /// memory), one aggressive compacting collection, then, on Linux with glibc, the C library asked to hand
    /// its freed pages back (it keeps them otherwise).
    /// </summary>
    internal static void TrimProcess()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        if (OperatingSystem.IsLinux())
        {
            try
            {
                _ = NativeMethods.malloc_trim(0);
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
            {
                // Not glibc (musl, for one): nothing to ask.
            }
        }
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code turned on for the project; one blittable call does not
        [System.Runtime.InteropServices.DllImport("libc", ExactSpelling = true)]
        [System.Runtime.InteropServices.DefaultDllImportSearchPaths(System.Runtime.InteropServices.DllImportSearchPath.SafeDirectories)]
        internal static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
    }

    private static MemoryReading ReadGc()
    {
        var info = GC.GetGCMemoryInfo();
        return new MemoryReading(info.TotalCommittedBytes, info.HeapSizeBytes);
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Server quiet: gave memory back, committed {BeforeMb} MB -> {AfterMb} MB (live objects {HeapMb} MB)")]
    private static partial void LogTrimmed(ILogger logger, long beforeMb, long afterMb, long heapMb);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Debug, Message = "Server quiet: nothing worth giving back, committed {CommittedMb} MB (live objects {HeapMb} MB)")]
    private static partial void LogNothingToReturn(ILogger logger, long committedMb, long heapMb);
}
