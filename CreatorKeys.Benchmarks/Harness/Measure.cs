using System.Diagnostics;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>Timing helpers: every figure is a median (or percentile) of several runs.</summary>
public static class Measure
{
    public static async Task<TimeSpan> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed;
    }

    /// <summary>
    /// Runs <paramref name="baseline"/> and <paramref name="subject"/> alternately
    /// <paramref name="runs"/> times (after one warm-up each), so noise from other work on the
    /// machine falls on both; returns both medians.
    /// </summary>
    public static async Task<(TimeSpan Baseline, TimeSpan Subject)> PairAsync(int runs, Func<Task> baseline, Func<Task> subject)
    {
        await baseline();
        await subject();
        var b = new List<TimeSpan>();
        var s = new List<TimeSpan>();
        for (var i = 0; i < runs; i++)
        {
            b.Add(await TimeAsync(baseline));
            s.Add(await TimeAsync(subject));
        }

        return (Median(b), Median(s));
    }

    public static TimeSpan Median(IEnumerable<TimeSpan> values) => Percentile(values, 50);

    public static TimeSpan Percentile(IEnumerable<TimeSpan> values, double percentile)
    {
        var sorted = values.OrderBy(v => v).ToList();
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    public static string Ms(TimeSpan value) => value.TotalMilliseconds switch
    {
        < 10 => $"{value.TotalMilliseconds:0.00} ms",
        < 10_000 => $"{value.TotalMilliseconds:0} ms",
        _ => $"{value.TotalSeconds:0.0} s",
    };
}
