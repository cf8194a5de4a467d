using CreatorKeys.Benchmarks.Harness;
using CreatorKeys.Core.Data;

namespace CreatorKeys.Tests.Benchmarks;

/// <summary>
/// Runs the whole benchmark harness at tiny sizes so it cannot rot: seeding through the real
/// services, every measurement (the real app started as its own process included) and the table.
/// It asserts that each figure was produced, never how fast: timings belong to the benchmark run.
/// </summary>
public sealed class BenchmarkHarnessSmokeTests
{
    [Fact]
    public async Task RunAsync_QuickSizes_ProducesEveryLineOfTheTable()
    {
        using var log = new StringWriter();

        var results = await BenchmarkHarness.RunAsync(HarnessOptions.Quick, log);

        var table = ResultTable.ToMarkdown(results);
        foreach (var line in new[]
        {
            "encrypt + decrypt one key value", "unlock (password → vault key)", "inventory export CSV", "inventory export JSON",
            "inventory export PDF", "vault page, time to first byte p99", "start-up to /healthz 200", "daily reminder check, repeat run",
            "GET /api/v1/secrets (one token), p99", "dashboard page, many accounts, p99", "reports page, many accounts, p99",
        })
        {
            Assert.Contains(results, r => r.What.StartsWith(line, StringComparison.Ordinal));
        }

        // Memory per circuit needs a browser: measured wherever Debian's Chromium is installed (CI), said to be skipped elsewhere.
        if (File.Exists("/usr/bin/chromium") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CHROMIUM_PATH")))
        {
            Assert.Contains(results, r => r.What == "memory per circuit, server working set");
        }
        else
        {
            Assert.Contains("memory per circuit: skipped", log.ToString(), StringComparison.Ordinal);
        }

        Assert.All(results.Where(r => r.Ratio is not null), r => Assert.True(double.IsFinite(r.Ratio!.Value) && r.Ratio > 0, $"{r.What}: ratio {r.Ratio}"));
        Assert.StartsWith("| what | measure | result | baseline (same run) | ratio | target | met |", table, StringComparison.Ordinal);
        // The seeded vault is paged: the prerendered page held one page of keys at most, never the whole vault.
        Assert.Contains("key rows rendered of 20", log.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>--seeded &lt;folder&gt;</c>, for measuring a change again without seeding: a folder that is not a seeded one is
    /// refused with the command that makes one, before any app is started.
    /// </summary>
    [Fact]
    public async Task RunAsync_SeededFolderWithoutADatabase_IsRefusedWithTheCommandThatMakesOne()
    {
        var empty = Directory.CreateTempSubdirectory("ck-bench-seeded-").FullName;
        try
        {
            using var log = new StringWriter();
            var options = HarnessOptions.Quick with
            {
                SeededFolder = empty,
                Skip = new HashSet<string>(["micro", "vault", "circuits", "api", "accounts", "reminders"], StringComparer.OrdinalIgnoreCase),
            };

            var refused = await Assert.ThrowsAsync<ArgumentException>(() => BenchmarkHarness.RunAsync(options, log));

            Assert.Contains($"seed {empty} 10000", refused.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Vault page under load", log.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    /// <summary>
    /// <c>--database postgresql</c> at tiny sizes: a throwaway cluster of its own, the seeder writing through the app's
    /// provider seam (and its PostgreSQL copy path), the app started on it, the reminder check against PostgreSQL's own raw
    /// query — and the cluster stopped and deleted at the end. Browser pages (and the token API, skipped on PostgreSQL) are left to the run above.
    /// </summary>
    [Fact]
    public async Task RunAsync_OnPostgreSql_ProducesTheDatabaseLines_AndRemovesItsCluster()
    {
        using var log = new StringWriter();
        var options = HarnessOptions.Quick with
        {
            Database = DatabaseProvider.PostgreSql,
            // The token API is asked for, to show that it is said to be skipped on PostgreSQL rather than measured on SQLite.
            Skip = new HashSet<string>(["micro", "circuits"], StringComparer.OrdinalIgnoreCase),
        };

        var results = await BenchmarkHarness.RunAsync(options, log);

        var text = log.ToString();
        Assert.Contains("Database: PostgreSQL", text, StringComparison.Ordinal);
        foreach (var line in new[]
        {
            "unlock (password → vault key)", "inventory export CSV", "vault page, time to first byte p99", "dashboard page, time to first byte p99",
            "start-up to /healthz 200", "daily reminder check, repeat run", "daily reminder check, first run", "dashboard page, many accounts, p99",
        })
        {
            Assert.Contains(results, r => r.What.StartsWith(line, StringComparison.Ordinal));
        }

        Assert.Contains("key rows rendered of 20", text, StringComparison.Ordinal);
        Assert.Contains("Token API: skipped on PostgreSQL", text, StringComparison.Ordinal);
        var cluster = System.Text.RegularExpressions.Regex.Match(text, "cluster in (\\S+)");
        Assert.True(cluster.Success, text);
        Assert.False(Directory.Exists(cluster.Groups[1].Value), $"the cluster's folder {cluster.Groups[1].Value} is still there");
    }
}
