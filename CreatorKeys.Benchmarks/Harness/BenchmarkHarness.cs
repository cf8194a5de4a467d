using System.Diagnostics;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using CreatorKeys.Benchmarks.Micro;
using CreatorKeys.Benchmarks.Seeding;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>Runs every measurement of docs/performance.md's table and returns its lines.</summary>
public static class BenchmarkHarness
{
    public const string VaultEmail = "creator@creatorkeys.test";

    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(HarnessOptions options, TextWriter log)
    {
        // On PostgreSQL a throwaway cluster for the whole run, stopped and deleted at the end whatever happens.
        await using var database = options.Database == DatabaseProvider.PostgreSql
            ? await BenchmarkDatabase.StartPostgreSqlAsync(log)
            : BenchmarkDatabase.Sqlite;
        log.WriteLine($"Database: {database.Description}");
        var results = new List<BenchmarkResult>();
        if (options.Includes("micro"))
        {
            log.WriteLine("Encrypt + decrypt one key value…");
            results.Add(options.UseBenchmarkDotNet ? CryptoWithBenchmarkDotNet(log) : CryptoWithStopwatch());
        }

        if (options.Includes("vault") || options.Includes("web") || options.Includes("circuits"))
        {
            var folder = Directory.CreateTempSubdirectory("ck-bench-vault-").FullName;
            try
            {
                if (options.SeededFolder is { } seeded)
                {
                    if (database.IsPostgreSql)
                    {
                        throw new ArgumentException("--seeded copies a SQLite folder; leave it out with --database postgresql.");
                    }

                    log.WriteLine($"Copying the seeded folder {seeded} (no unlock or export lines)…");
                    CopyFolder(seeded, folder);
                }
                else
                {
                    log.WriteLine($"Seeding a {options.VaultKeys:N0}-key vault through the real services…");
                    await using (var seeder = await VaultSeeder.OpenAsync(folder, database))
                    {
                        string accountId = "";
                        var seeding = await Measure.TimeAsync(async () =>
                        {
                            var (id, vault) = await seeder.SignUpAsync(VaultEmail);
                            accountId = id;
                            await seeder.AddKeysAsync(accountId, vault, options.VaultKeys);
                        });
                        log.WriteLine($"  seeded in {Measure.Ms(seeding)} ({seeding.TotalMilliseconds / options.VaultKeys:0.00} ms per key)");

                        if (options.Includes("vault"))
                        {
                            results.Add(await UnlockAsync(seeder, accountId, options.Runs, log));
                            log.WriteLine("Inventory exports…");
                            results.AddRange(await ExportMeasure.RunAsync(seeder.Provider, seeder.Database, accountId, options.VaultKeys, VaultSeeder.Services[0], options.PdfKeys, options.Runs, log));
                        }
                    }
                }

                SqliteConnection.ClearAllPools();
                if (options.Includes("web"))
                {
                    log.WriteLine("Vault page under load…");
                    results.AddRange(await WebMeasure.PageLoadAsync(folder, VaultEmail, VaultSeeder.Password, options.VaultKeys, options.Concurrency, options.RequestsPerWorker, log, database));
                    log.WriteLine("Start-up…");
                    results.AddRange(await WebMeasure.StartUpAsync(folder, options.VaultKeys, options.StartUpRuns, options.StartUpOnEmptyFolder, log, database));
                }

                if (options.Includes("circuits"))
                {
                    log.WriteLine($"Memory per circuit ({options.Circuits} browser pages)…");
                    results.AddRange(await CircuitMemoryMeasure.RunAsync(folder, VaultEmail, VaultSeeder.Password, options.VaultKeys, options.Circuits, log, database));
                }
            }
            finally
            {
                await database.ReleaseAsync(folder);
                Directory.Delete(folder, recursive: true);
            }
        }

        if (options.Includes("api") && database.IsPostgreSql)
        {
            // Its seeding and app start are its own (ApiMeasure); measured on SQLite only for now.
            log.WriteLine("Token API: skipped on PostgreSQL (run it without --database postgresql).");
        }
        else if (options.Includes("api"))
        {
            log.WriteLine($"Token API under load ({options.ApiKeys:N0} keys in one environment)…");
            results.AddRange(await ApiMeasure.RunAsync(options.ApiKeys, options.Concurrency, options.RequestsPerWorker, log));
        }

        if (options.Includes("accounts"))
        {
            log.WriteLine($"Many accounts at once ({options.ManyAccounts:N0} × {options.ManyAccountsKeys:N0} keys)…");
            results.AddRange(await ManyAccountsMeasure.RunAsync(options.ManyAccounts, options.ManyAccountsKeys, options.Concurrency, options.RequestsPerWorker, log, database));
        }

        if (options.Includes("reminders"))
        {
            log.WriteLine("Daily reminder check…");
            // At a million keys one check takes a while: three timed repeats are enough for a median.
            results.AddRange(await ReminderMeasure.RunAsync(options.ReminderAccounts, options.KeysPerAccount, Math.Min(options.Runs, 3), log, database));
        }

        return results;
    }

    private static void CopyFolder(string from, string to)
    {
        if (!File.Exists(Path.Combine(from, "creatorkeys.db")))
        {
            throw new ArgumentException($"--seeded {from}: no creatorkeys.db there. Make one with: seed {from} 10000");
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    /// <summary>Password → vault key, with the iterations the account was created with (the configured 600,000).</summary>
    private static async Task<BenchmarkResult> UnlockAsync(VaultSeeder seeder, string accountId, int runs, TextWriter log)
    {
        await using var db = await seeder.Provider.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().SingleAsync(u => u.Id == accountId);
        var times = new List<TimeSpan>();
        for (var i = 0; i < Math.Max(3, runs); i++)
        {
            var watch = Stopwatch.StartNew();
            using var vault = AccountService.Unlock(account, VaultSeeder.Password);
            times.Add(watch.Elapsed);
        }

        var median = Measure.Median(times);
        log.WriteLine($"  unlock: {Measure.Ms(median)} at {account.Vault.PasswordIterations:N0} iterations");
        // What makes a stolen database slow to attack is the iteration count (OWASP's 600,000 for PBKDF2-HMAC-SHA256),
        // not how long this machine takes: a faster server unlocks sooner and an attacker's hardware is no slower for it.
        // The time only has to stay short enough for a person signing in.
        return new("unlock (password → vault key)", $"PBKDF2-HMAC-SHA256, {account.Vault.PasswordIterations:N0} iterations", Measure.Ms(median), "—", null, "≥ 600,000 iterations, under 800 ms",
            account.Vault.PasswordIterations >= 600_000 && median <= TimeSpan.FromMilliseconds(800));
    }

    private static BenchmarkResult CryptoWithBenchmarkDotNet(TextWriter log)
    {
        // In process: no generated project to build, so it runs the same on a fresh machine.
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15);
        var config = ManualConfig.CreateMinimumViable().AddJob(job).AddLogger(ConsoleLogger.Default).WithOptions(ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run<CryptoBenchmarks>(config);
        double Median(string method) => summary.Reports
            .Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            .ResultStatistics?.Median ?? double.NaN;
        var raw = Median(nameof(CryptoBenchmarks.RawAesGcm));
        var vault = Median(nameof(CryptoBenchmarks.VaultEncryptDecrypt));
        log.WriteLine($"  crypto: vault {vault:0} ns, raw {raw:0} ns");
        return CryptoResult(vault, raw, "BenchmarkDotNet median");
    }

    private static BenchmarkResult CryptoWithStopwatch()
    {
        using var bench = new CryptoBenchmarks();
        bench.Setup();
        var raw = NanosecondsPerCall(() => bench.RawAesGcm());
        var vault = NanosecondsPerCall(() => bench.VaultEncryptDecrypt());
        return CryptoResult(vault, raw, "stopwatch loop");
    }

    private static double NanosecondsPerCall(Func<object> action, int iterations = 20_000)
    {
        for (var i = 0; i < 1_000; i++)
        {
            action();
        }

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            action();
        }

        return watch.Elapsed.TotalNanoseconds / iterations;
    }

    private static BenchmarkResult CryptoResult(double vaultNs, double rawNs, string how) =>
        new("encrypt + decrypt one key value", $"ns per operation, {how}", $"{vaultNs:0} ns", $"raw AesGcm {rawNs:0} ns", vaultNs / rawNs, "≤ 2×", vaultNs <= 2 * rawNs);
}
