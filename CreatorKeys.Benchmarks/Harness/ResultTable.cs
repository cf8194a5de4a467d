using System.Globalization;
using System.Text;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>One line of the results table: a figure, its baseline from the same run, and the target.</summary>
public sealed record BenchmarkResult(string What, string Measure, string Result, string Baseline, double? Ratio, string Target, bool? Met, string Note = "")
{
    public static double? RatioOf(TimeSpan subject, TimeSpan baseline) =>
        baseline > TimeSpan.Zero ? subject / baseline : null;
}

public static class ResultTable
{
    public static string ToMarkdown(IEnumerable<BenchmarkResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| what | measure | result | baseline (same run) | ratio | target | met |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var ratio = r.Ratio is { } value ? value.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";
            var met = r.Met switch { true => "yes", false => "**no**", null => "—" };
            var note = string.IsNullOrEmpty(r.Note) ? "" : $" ({r.Note})";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.What} | {r.Measure} | {r.Result}{note} | {r.Baseline} | {ratio} | {r.Target} | {met} |");
        }

        return text.ToString();
    }
}
