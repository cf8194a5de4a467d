using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reports;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// The inventory exports through <see cref="ReportExportService"/> (query, report, file, activity
/// entry), against reading the same rows with one SQL query and writing them with a plain
/// <see cref="StreamWriter"/>.
/// </summary>
public static class ExportMeasure
{
    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(IServiceProvider services, Database database, string accountId, int keys, string pdfProvider, int pdfKeys, int runs, TextWriter log)
    {
        var exports = services.GetRequiredService<ReportExportService>();
        var results = new List<BenchmarkResult>();
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Json })
        {
            var (raw, app) = await Measure.PairAsync(runs,
                () => PlainWriteAsync(database, accountId, provider: null),
                () => exports.ExportAsync(accountId, InventoryFilter.All, format, RequestOrigin.System));
            log.WriteLine($"  export {format}: {Measure.Ms(app)} vs plain {Measure.Ms(raw)}");
            results.Add(new($"inventory export {format.ToString().ToUpperInvariant()}", $"{keys:N0} keys", Measure.Ms(app), $"StreamWriter {Measure.Ms(raw)}", BenchmarkResult.RatioOf(app, raw),
                format == ExportFormat.Csv ? "≤ 3×" : "— (reported)", format == ExportFormat.Csv ? app <= raw * 3 : null));
        }

        var pdfFilter = new InventoryFilter(Provider: pdfProvider);
        var (rawPdf, pdf) = await Measure.PairAsync(Math.Max(1, runs / 2),
            () => PlainWriteAsync(database, accountId, pdfProvider),
            () => exports.ExportAsync(accountId, pdfFilter, ExportFormat.Pdf, RequestOrigin.System));
        log.WriteLine($"  export PDF: {Measure.Ms(pdf)} vs plain {Measure.Ms(rawPdf)}");
        results.Add(new("inventory export PDF", $"{pdfKeys:N0} keys", Measure.Ms(pdf), $"StreamWriter {Measure.Ms(rawPdf)}", BenchmarkResult.RatioOf(pdf, rawPdf), "under 2 s", pdf < TimeSpan.FromSeconds(2)));
        return results;
    }

    /// <summary>The baseline: the report's columns read with one query and written as comma-separated lines.</summary>
    private static async Task PlainWriteAsync(Database database, string accountId, string? provider)
    {
        await using var connection = database.NewConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Quoted names and @parameters read the same on SQLite and PostgreSQL.
        command.CommandText = """
            SELECT "ProviderName", "Environment", "Label", "Hint", "MonthlyCapUsd", "CapSetAtProvider", "CreatedAt", "IssuedAt", "DueOn", "Status"
            FROM "ApiKeys" WHERE "AccountId" = @account AND (CAST(@provider AS text) IS NULL OR "ProviderName" = @provider)
            ORDER BY "Environment", "ProviderName", "Label"
            """;
        AddParameter(command, "account", accountId);
        AddParameter(command, "provider", provider);
        using var output = new MemoryStream();
        await using var writer = new StreamWriter(output, new UTF8Encoding(false));
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            await writer.WriteLineAsync(string.Join(',', values));
        }

        await writer.FlushAsync();
    }

    private static void AddParameter(System.Data.Common.DbCommand command, string name, string? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = System.Data.DbType.String;
        parameter.Value = (object?)value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
