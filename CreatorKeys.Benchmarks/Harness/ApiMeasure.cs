using System.Net.Http.Headers;
using System.Text.Json;
using CreatorKeys.Benchmarks.Seeding;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// The token API under load (issue 22): <c>GET /api/v1/secrets</c> for an environment of <c>keys</c> keys with one
/// access token, against the app's own <c>/healthz</c> under the same load in the same run. Each request checks the
/// token, unseals the environment's key with the token's secret, decrypts every value and writes an activity entry.
/// </summary>
public static class ApiMeasure
{
    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(int keys, int concurrency, int requestsPerWorker, TextWriter log)
    {
        var folder = Directory.CreateTempSubdirectory("ck-bench-api-").FullName;
        try
        {
            string token;
            await using (var seeder = await VaultSeeder.OpenAsync(folder))
            {
                var (accountId, vault) = await seeder.SignUpAsync(BenchmarkHarness.VaultEmail);
                // The seeder deals keys to DEV, STAGING and PROD ten at a time (one per service): three times as many, for
                // this many in PROD when it is a multiple of ten.
                if (keys % VaultSeeder.Services.Count != 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(keys), keys, $"A multiple of {VaultSeeder.Services.Count}.");
                }

                await seeder.AddKeysAsync(accountId, vault, keys * 3);
                token = await CreateTokenAsync(seeder, vault);
            }

            SqliteConnection.ClearAllPools();
            // The per-token limit (120 a minute by default) would answer most of the run with 429.
            await using var app = await AppProcess.StartWebAsync(folder, new Dictionary<string, string> { ["CreatorKeys__RateLimits__ApiRequestsPerMinute"] = "100000" });
            using var client = new HttpClient { BaseAddress = app.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            using (var first = await client.GetAsync("api/v1/secrets"))
            {
                var body = await first.Content.ReadAsStringAsync();
                if (!first.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET /api/v1/secrets answered {(int)first.StatusCode}: {body}");
                }

                using var json = JsonDocument.Parse(body);
                var served = json.RootElement.GetProperty("secrets").GetArrayLength();
                log.WriteLine($"  api: {served:N0} secrets served, {body.Length / 1024.0:0.0} KB of JSON");
                if (served != keys)
                {
                    throw new InvalidOperationException($"The token's environment has {served} keys, not {keys}.");
                }
            }

            await app.WaitUntilIdleAsync();
            await WebMeasure.LoadAsync(client, "healthz", concurrency, 2);
            await WebMeasure.LoadAsync(client, "api/v1/secrets", concurrency, WebMeasure.WarmUpRounds);
            var quiet = await app.WaitUntilIdleAsync();
            log.WriteLine($"  api: server {(quiet.Idle ? "idle" : "STILL BUSY")} after {WebMeasure.WarmUpRounds} warm-up rounds");

            var health = await WebMeasure.LoadAsync(client, "healthz", concurrency, requestsPerWorker);
            var times = await WebMeasure.LoadAsync(client, "api/v1/secrets", concurrency, requestsPerWorker);
            var (p50, p99) = (Measure.Percentile(times, 50), Measure.Percentile(times, 99));
            var (health50, health99) = (Measure.Percentile(health, 50), Measure.Percentile(health, 99));
            log.WriteLine($"  GET /api/v1/secrets: p50 {Measure.Ms(p50)} p99 {Measure.Ms(p99)}; /healthz p50 {Measure.Ms(health50)} p99 {Measure.Ms(health99)}");
            var load = $"{keys:N0} keys in the token's environment, {concurrency} concurrent, {times.Count} requests";
            return
            [
                new("GET /api/v1/secrets (one token), p50", load, Measure.Ms(p50), $"/healthz {Measure.Ms(health50)}", BenchmarkResult.RatioOf(p50, health50), "— (reported)", null),
                new("GET /api/v1/secrets (one token), p99", load, Measure.Ms(p99), $"/healthz {Measure.Ms(health99)}", BenchmarkResult.RatioOf(p99, health99), "p99 under 150 ms", p99 < TimeSpan.FromMilliseconds(150)),
            ];
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A PROD token, made as the creator makes one: confirmed with the password, PROD typed.</summary>
    private static async Task<string> CreateTokenAsync(VaultSeeder seeder, UnlockedVault vault)
    {
        var session = seeder.Provider.GetRequiredService<VaultSessionStore>().Open(vault, emergencyKitPending: false);
        await using var scope = seeder.Provider.CreateAsyncScope();
        var confirmed = await scope.ServiceProvider.GetRequiredService<ConfirmationService>().ConfirmAsync(session, VaultSeeder.Password, RequestOrigin.System);
        if (!confirmed.Succeeded)
        {
            throw new InvalidOperationException("Confirming the password failed: " + confirmed.Error);
        }

        var created = await seeder.Provider.GetRequiredService<AccessTokenService>().CreateAsync(session, new NewTokenInput("benchmark", VaultEnvironment.Prod, TokenLifetime.Days30, TypedWord: "PROD"), RequestOrigin.System);
        return created.TokenText ?? throw new InvalidOperationException("The token was refused: " + created.Error);
    }
}
