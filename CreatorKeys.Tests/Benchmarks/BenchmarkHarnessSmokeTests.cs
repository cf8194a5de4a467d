using CreatorKeys.Benchmarks.Harness;

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
}
