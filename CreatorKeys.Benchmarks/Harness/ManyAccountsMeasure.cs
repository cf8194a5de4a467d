using CreatorKeys.Benchmarks.Seeding;
using Microsoft.Data.Sqlite;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// Many creators at once: an install of <c>accounts</c> accounts of <c>keysPerAccount</c> keys each, and
/// <c>concurrency</c> clients each signed in to a different account, loading the signed-in pages. Each page is
/// read against the app's own <c>/healthz</c> under the same load in the same run. What this adds to the single-account
/// line: every client's dashboard score and report summary is its own (nothing one account computed serves another).
/// </summary>
public static class ManyAccountsMeasure
{
    private const int WarmUpRounds = 5;

    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(int accounts, int keysPerAccount, int concurrency, int requestsPerWorker, TextWriter log, BenchmarkDatabase? database = null)
    {
        var signedIn = Math.Min(concurrency, accounts);
        var folder = Directory.CreateTempSubdirectory("ck-bench-accounts-").FullName;
        try
        {
            var seeding = await Measure.TimeAsync(async () =>
            {
                await using var seeder = await VaultSeeder.OpenAsync(folder, database);
                // The accounts that sign in are made through the real sign-up and key store (their vaults unlock);
                // the rest are set-based copies of the first (metadata only), which the pages never read.
                string? first = null;
                for (var i = 0; i < signedIn; i++)
                {
                    var (accountId, vault) = await seeder.SignUpAsync(Email(i));
                    await seeder.AddKeysAsync(accountId, vault, keysPerAccount, seed: 42 + i);

                    first ??= accountId;
                }

                await seeder.CopyAccountAsync(first!, accounts - signedIn);
            });
            log.WriteLine($"  seeded {accounts:N0} accounts × {keysPerAccount:N0} keys in {Measure.Ms(seeding)} ({signedIn} through the real services)");
            SqliteConnection.ClearAllPools();

            // One sign-in per client, from one address: the sign-in limit is per network, so it is raised here.
            await using var app = await AppProcess.StartWebAsync(folder, new Dictionary<string, string>
            {
                ["CreatorKeys__RateLimits__SignInAttemptsPerMinute"] = "10000",
            }, database);
            var clients = new List<HttpClient>();
            try
            {
                for (var i = 0; i < signedIn; i++)
                {
                    clients.Add(await app.SignInAsync(Email(i), VaultSeeder.Password));
                }

                (string Name, string Path)[] pages =
                [
                    ("dashboard", ""), ("vault", "vault"), ("rotation", "rotation"), ("reports", "reports"),
                    ("workflows", "workflows"), ("activity", "activity"),
                ];
                await app.WaitUntilIdleAsync();
                foreach (var (_, path) in pages)
                {
                    await WebMeasure.LoadAsync(clients, path, WarmUpRounds);
                }

                await app.WaitUntilIdleAsync();
                var health = await WebMeasure.LoadAsync(clients, "healthz", requestsPerWorker);
                var health50 = Measure.Percentile(health, 50);
                var health99 = Measure.Percentile(health, 99);
                var results = new List<BenchmarkResult>();
                foreach (var (name, path) in pages)
                {
                    var times = await WebMeasure.LoadAsync(clients, path, requestsPerWorker);
                    var p50 = Measure.Percentile(times, 50);
                    var p99 = Measure.Percentile(times, 99);
                    log.WriteLine($"  {name} page, {signedIn} accounts at once: p50 {Measure.Ms(p50)} p99 {Measure.Ms(p99)}; /healthz p50 {Measure.Ms(health50)} p99 {Measure.Ms(health99)}");
                    var load = $"{accounts:N0} accounts × {keysPerAccount:N0} keys, {signedIn} clients each signed in to its own account, {times.Count} requests";
                    results.Add(new($"{name} page, many accounts, p99", load, Measure.Ms(p99), $"/healthz {Measure.Ms(health99)}", BenchmarkResult.RatioOf(p99, health99), "p99 under 150 ms", p99 < TimeSpan.FromMilliseconds(150)));
                }

                return results;
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }
        finally
        {
            await (database ?? BenchmarkDatabase.Sqlite).ReleaseAsync(folder);
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Email(int i) => $"creator{i:D3}@creatorkeys.test";
}
