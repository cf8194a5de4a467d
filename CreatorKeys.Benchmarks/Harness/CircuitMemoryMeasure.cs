using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Playwright;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// Server memory per open circuit: <c>n</c> pages of headless Chromium in one signed-in browser
/// context, alternating the dashboard (<c>/</c>) and the vault (<c>/vault</c>), each waited for until
/// its circuit is connected. The server's memory is read before and after, each time just after a
/// full blocking GC forced from outside through the runtime's diagnostics port (the way
/// <c>dotnet-gcdump</c> does it), so garbage is not counted as a circuit's.
/// </summary>
public static class CircuitMemoryMeasure
{
    /// <summary>Microsoft's figure for one circuit of a minimal app (ASP.NET Core Blazor server-side guidance).</summary>
    private const double AnchorKb = 250;

    private const double TargetKb = 500;

    private static readonly string[] ChromiumCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"];

    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(string dataFolder, string email, string password, int keys, int circuits, TextWriter log, BenchmarkDatabase? database = null)
    {
        var chromium = ChromiumPath();
        if (chromium is null)
        {
            log.WriteLine("  memory per circuit: skipped (no Chromium at /usr/bin/chromium; set CHROMIUM_PATH)");
            return [];
        }

        await using var app = await AppProcess.StartWebAsync(dataFolder, database: database);
        var (client, cookies) = await app.SignInWithCookiesAsync(email, password);
        client.Dispose();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.ToString() });
        // A ceiling, not a wait: each page moves on the moment its circuit is up.
        context.SetDefaultTimeout(120_000);
        await context.AddCookiesAsync(cookies.GetAllCookies().Select(c => new Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Domain = app.BaseAddress.Host,
            Path = string.IsNullOrEmpty(c.Path) ? "/" : c.Path,
            HttpOnly = c.HttpOnly,
            Secure = c.Secure,
            SameSite = SameSiteAttribute.Strict,
        }));

        // Warm-up: each page opened and closed half as many times as the measure opens pages (at least once), so
        // first-use costs are not counted as circuits'. Once each was not enough: the runtime recompiles a method
        // in optimised form after its 30th call, and that code (13.5 MB of 63 MB) landed in the measure.
        var quiet = app.QuietCount();
        for (var round = 0; round < Math.Max(1, circuits / 2); round++)
        {
            foreach (var path in (string[])["/", "/vault"])
            {
                var warm = await OpenInteractiveAsync(context, path);
                await warm.CloseAsync(new() { RunBeforeUnload = true });
            }
        }

        // Both readings are taken once the server has gone quiet and given back what memory it could
        // (IdleMemoryTrimmer), as a server nobody is clicking would: otherwise the figure is mostly memory
        // the collector kept from the burst of opening pages, not memory the circuits hold.
        var settledBefore = await app.WaitForQuietAsync(quiet);
        var before = await SnapshotAsync(app);
        var pages = new List<IPage>();
        for (var i = 0; i < circuits; i++)
        {
            pages.Add(await OpenInteractiveAsync(context, i % 2 == 0 ? "/" : "/vault"));
        }

        // Every page idle: no request in flight (the circuit's WebSocket does not count).
        foreach (var page in pages)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }

        var untrimmed = app.ResidentBytes();
        quiet = app.QuietCount();
        var settledAfter = await app.WaitForQuietAsync(quiet);
        var after = await SnapshotAsync(app);
        var rssKb = (after.WorkingSet - before.WorkingSet) / 1024.0 / circuits;
        var heapKb = after.GcHeap is { } a && before.GcHeap is { } b ? (a - b) / 1024.0 / circuits : (double?)null;
        log.WriteLine($"  memory per circuit: {circuits} circuits; working set {before.WorkingSet / 1048576.0:0.0} → {after.WorkingSet / 1048576.0:0.0} MB ({rssKb:0} KB each); " +
            $"GC heap {Mb(before.GcHeap)} → {Mb(after.GcHeap)} ({(heapKb is { } h ? $"{h:0} KB each" : "not read")}); " +
            $"working set {untrimmed / 1048576.0:0.0} MB as the last page connected, before the server went quiet ({(untrimmed - before.WorkingSet) / 1024.0 / circuits:0} KB each)" +
            (settledBefore && settledAfter ? "" : "; the server did not go quiet within two minutes, read anyway"));

        var measure = $"{circuits} circuits of headless Chromium, `/` and `/vault` alternately, {keys:N0} keys";
        var results = new List<BenchmarkResult>
        {
            new("memory per circuit, server working set", measure + ", once the server has gone quiet (its idle trim), after a forced full GC", $"{rssKb:0} KB", $"Microsoft's minimal-app figure {AnchorKb:0} KB", Ratio(rssKb), $"≤ {TargetKb:0} KB", rssKb <= TargetKb),
        };
        if (heapKb is { } heap)
        {
            results.Add(new("memory per circuit, server GC heap", measure + ", live objects after a forced full GC", $"{heap:0} KB", $"Microsoft's minimal-app figure {AnchorKb:0} KB", Ratio(heap), "— (reported)", null));
        }

        return results;
    }

    /// <summary>No ratio for a figure lost in noise (a GC returned more than the circuits took).</summary>
    private static double? Ratio(double kb) => kb > 0 ? kb / AnchorKb : null;

    private static string Mb(long? bytes) => bytes is { } b ? $"{b / 1048576.0:0.0} MB" : "—";

    private static async Task<IPage> OpenInteractiveAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(path);
        // The layout turns this "true" once the circuit is connected (the browser tests wait the same way).
        await page.Locator("[data-interactive='true']").WaitForAsync();
        return page;
    }

    private static async Task<(long WorkingSet, long? GcHeap)> SnapshotAsync(AppProcess app)
    {
        var heap = await Task.Run(() => ForceFullGcAndReadHeapAsync(app.ProcessId));
        return (app.ResidentBytes(), heap);
    }

    /// <summary>
    /// Enables the runtime's GC events with the GCHeapCollect keyword, which makes the runtime run a
    /// full blocking GC at once; the heap sizes it reports after that GC are the live objects.
    /// </summary>
    private static async Task<long?> ForceFullGcAndReadHeapAsync(int processId)
    {
        const long gc = 0x1, gcHeapCollect = 0x800000;
        try
        {
            var client = new DiagnosticsClient(processId);
            using var session = client.StartEventPipeSession(
                [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, gc | gcHeapCollect)],
                requestRundown: false);
            using var source = new EventPipeEventSource(session.EventStream);
            long? heap = null;
            var full = false;
            source.Clr.GCStart += e => full |= e.Depth == 2;
            source.Clr.GCHeapStats += e =>
            {
                if (full && heap is null)
                {
                    heap = e.TotalHeapSize;
                    session.Stop();
                }
            };
            try
            {
                await Task.Run(source.Process).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                session.Stop();
            }

            return heap;
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or UnsupportedCommandException or TimeoutException or EndOfStreamException or IOException)
        {
            return null;
        }
    }

    private static string? ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        return ChromiumCandidates.FirstOrDefault(File.Exists);
    }
}
