using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>Whole-app figures against a real server process: the vault page under load, and start-up.</summary>
public static partial class WebMeasure
{
    /// <summary>
    /// Time to first byte of each signed-in page, prerendered (<paramref name="keys"/> keys): the vault, the
    /// dashboard, rotation, reports, workflows, activity and a key's page, p50 and p99 under
    /// <paramref name="concurrency"/> concurrent requests, each against the app's own <c>/healthz</c> measured
    /// under the same load in the same run.
    /// </summary>
    public static async Task<IReadOnlyList<BenchmarkResult>> PageLoadAsync(string dataFolder, string email, string password, int keys, int concurrency, int requestsPerWorker, TextWriter log, BenchmarkDatabase? database = null)
    {
        await using var app = await AppProcess.StartWebAsync(dataFolder, database: database);
        using var client = await app.SignInAsync(email, password);

        // One full page first: it must be the vault, and it tells how many rows the server rendered.
        using (var first = await client.GetAsync("vault"))
        {
            var html = await first.Content.ReadAsStringAsync();
            if (first.StatusCode != HttpStatusCode.OK || !html.Contains("<h1", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GET /vault answered {(int)first.StatusCode} {first.Headers.Location}.");
            }

            log.WriteLine($"  vault page: {RowPattern().Count(html):N0} key rows rendered of {keys:N0}, {html.Length / 1024:N0} KB of HTML");
        }

        // A key's own page: the first key link the vault page shows.
        string keyPage;
        using (var vaultPage = await client.GetAsync("vault"))
        {
            keyPage = KeyLinkPattern().Match(await vaultPage.Content.ReadAsStringAsync()) is { Success: true } link
                ? link.Groups[1].Value
                : throw new InvalidOperationException("The vault page links to no key.");
        }

        // Steady state, as a server that has been up a while: start-up's own work finished, then warm-up
        // rounds (the JIT's optimised code for the page's path arrives after a few hundred requests),
        // then quiet again before the measured rounds.
        var startUpWork = await app.WaitUntilIdleAsync();
        await LoadAsync(client, "healthz", concurrency, 2);
        (string Name, string Path)[] pages =
        [
            ("vault", "vault"), ("dashboard", ""), ("rotation", "rotation"), ("reports", "reports"),
            ("workflows", "workflows"), ("activity", "activity"), ("key", keyPage),
        ];
        foreach (var (_, path) in pages)
        {
            await LoadAsync(client, path, concurrency, WarmUpRounds);
        }

        var warmUpWork = await app.WaitUntilIdleAsync();
        log.WriteLine($"  pages: server {Quiet(startUpWork)} after start-up work and {Quiet(warmUpWork)} after {WarmUpRounds} warm-up rounds of each");
        static string Quiet((bool Idle, TimeSpan Waited) wait) =>
            wait.Idle ? $"idle {wait.Waited.TotalSeconds:0.0} s" : $"STILL BUSY after {wait.Waited.TotalSeconds:0} s (figures include that work)";
        var health = await LoadAsync(client, "healthz", concurrency, requestsPerWorker);
        var health50 = Measure.Percentile(health, 50);
        var health99 = Measure.Percentile(health, 99);
        var results = new List<BenchmarkResult>();
        foreach (var (name, path) in pages)
        {
            var times = await LoadAsync(client, path, concurrency, requestsPerWorker);
            var p50 = Measure.Percentile(times, 50);
            var p99 = Measure.Percentile(times, 99);
            log.WriteLine($"  {name} page: p50 {Measure.Ms(p50)} p99 {Measure.Ms(p99)}; /healthz p50 {Measure.Ms(health50)} p99 {Measure.Ms(health99)}");
            var load = $"{keys:N0} keys, {concurrency} concurrent, {times.Count} requests";
            results.Add(new($"{name} page, time to first byte p50", load, Measure.Ms(p50), $"/healthz {Measure.Ms(health50)}", BenchmarkResult.RatioOf(p50, health50), "— (reported)", null));
            results.Add(new($"{name} page, time to first byte p99", load, Measure.Ms(p99), $"/healthz {Measure.Ms(health99)}", BenchmarkResult.RatioOf(p99, health99), "p99 under 150 ms", p99 < TimeSpan.FromMilliseconds(150)));
        }

        return results;
    }

    [System.Text.RegularExpressions.GeneratedRegex("href=\"(vault/keys/[0-9a-f-]{36})\"")]
    private static partial System.Text.RegularExpressions.Regex KeyLinkPattern();

    /// <summary>Warm-up requests per worker for each page before the pages are measured.</summary>
    internal const int WarmUpRounds = 10;

    /// <summary><paramref name="concurrency"/> workers each GET <paramref name="path"/> in turn; the time to first byte of each.</summary>
    internal static Task<List<TimeSpan>> LoadAsync(HttpClient client, string path, int concurrency, int requestsPerWorker) =>
        LoadAsync(Enumerable.Repeat(client, concurrency).ToList(), path, requestsPerWorker);

    /// <summary>One worker per entry of <paramref name="clients"/> (the same client may stand several times); time to first byte of every request.</summary>
    internal static async Task<List<TimeSpan>> LoadAsync(IReadOnlyList<HttpClient> clients, string path, int requestsPerWorker)
    {
        var times = new List<TimeSpan>();
        var workers = clients.Select(async client =>
        {
            var mine = new List<TimeSpan>();
            for (var i = 0; i < requestsPerWorker; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
                await using var body = await response.Content.ReadAsStreamAsync();
                var buffer = new byte[1];
                _ = await body.ReadAsync(buffer);
                mine.Add(watch.Elapsed);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode}.");
                }

                await body.CopyToAsync(Stream.Null);
            }

            lock (times)
            {
                times.AddRange(mine);
            }
        });
        await Task.WhenAll(workers);
        return times;
    }

    /// <summary>
    /// Process start to the first 200 from <c>/healthz</c>: the app on the seeded folder against the
    /// empty ASP.NET app, and the app on an empty folder to tell the data's share from the fixed cost.
    /// </summary>
    public static async Task<IReadOnlyList<BenchmarkResult>> StartUpAsync(string dataFolder, int keys, int runs, bool withEmptyFolder, TextWriter log, BenchmarkDatabase? database = null)
    {
        var app = new List<TimeSpan>();
        var fresh = new List<TimeSpan>();
        var empty = new List<TimeSpan>();
        var emptyFolder = Directory.CreateTempSubdirectory("ck-bench-empty-").FullName;
        try
        {
            if (withEmptyFolder)
            {
                // Once untimed, so the empty folder's migrations and key ring are in place like the seeded one's.
                await using (await AppProcess.StartWebAsync(emptyFolder, database: database))
                {
                }
            }

            for (var i = 0; i < runs; i++)
            {
                await using (var server = await AppProcess.StartEmptyAsync())
                {
                    empty.Add(server.StartedIn);
                }

                await using (var server = await AppProcess.StartWebAsync(dataFolder, database: database))
                {
                    app.Add(server.StartedIn);
                }

                if (withEmptyFolder)
                {
                    await using var server = await AppProcess.StartWebAsync(emptyFolder, database: database);
                    fresh.Add(server.StartedIn);
                }
            }
        }
        finally
        {
            await (database ?? BenchmarkDatabase.Sqlite).ReleaseAsync(emptyFolder);
            Directory.Delete(emptyFolder, recursive: true);
        }

        var appMedian = Measure.Median(app);
        var freshMedian = Measure.Median(fresh);
        var emptyMedian = Measure.Median(empty);
        log.WriteLine($"  start-up: app {Measure.Ms(appMedian)} ({keys:N0} keys), app {Measure.Ms(freshMedian)} (no keys), empty app {Measure.Ms(emptyMedian)}");
        BenchmarkResult startUp = new("start-up to /healthz 200", $"{keys:N0}-key database, median of {runs}, app {AppProcess.WebAppKind}", Measure.Ms(appMedian), $"empty ASP.NET app {Measure.Ms(emptyMedian)}", BenchmarkResult.RatioOf(appMedian, emptyMedian), "under 1.5 s", appMedian < TimeSpan.FromSeconds(1.5));
        return withEmptyFolder
            ? [startUp, new("start-up, the data's share", $"{keys:N0}-key database vs an empty one", Measure.Ms(appMedian), $"same app, no keys {Measure.Ms(freshMedian)}", BenchmarkResult.RatioOf(appMedian, freshMedian), "— (reported)", null)]
            : [startUp];
    }

    [GeneratedRegex("data-testid=\"(masked|revealed)-value\"")]
    private static partial Regex RowPattern();
}
