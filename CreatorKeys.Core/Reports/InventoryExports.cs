using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Reports;

/// <summary>The export formats of the inventory report.</summary>
public enum ExportFormat
{
    Csv,
    Json,
    Pdf,
}

/// <summary>Writes the inventory as CSV and JSON. Neither ever contains a key's value: the report has none.</summary>
public static class InventoryExports
{
    public const int JsonFormatVersion = 1;
    public const string JsonSchemaId = "https://creatorkeys.local/schemas/inventory-v1.schema.json";

    public static IReadOnlyList<string> CsvHeader { get; } =
        ["Service", "Environment", "Label", "Hint", "Monthly cap (USD)", "Cap set at provider", "Spent this month", "Workflows", "Created", "Last rotated", "Next due", "Status"];

    public static string FileName(InventoryReport report, ExportFormat format) =>
        $"creatorkeys-inventory-{report.Today:yyyy-MM-dd}.{format.ToString().ToLowerInvariant()}";

    public static string ContentType(ExportFormat format) => format switch
    {
        ExportFormat.Csv => "text/csv; charset=utf-8",
        ExportFormat.Json => "application/json; charset=utf-8",
        _ => "application/pdf",
    };

    public static IReadOnlyList<string> CsvCells(InventoryRow row) =>
    [
        row.Provider,
        row.Environment.Code(),
        row.Label,
        row.Hint,
        ReportText.Money(row.MonthlyCapUsd),
        row.CapSetAtProvider ? "yes" : "no",
        ReportText.Spent(row.Spent),
        row.IsManagementKey && row.Workflows.Count == 0 ? ReportText.ManagementKey : string.Join("; ", row.Workflows),
        ReportText.Date(row.Created),
        ReportText.Date(row.LastRotated),
        ReportText.Date(row.NextDue),
        ReportText.Status(row.Status),
    ];

    public static Task WriteCsvAsync(InventoryReport report, Stream output, CancellationToken cancellationToken = default) =>
        SafeCsv.WriteAsync(output, CsvHeader, report.Rows.Select(CsvCells), cancellationToken);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Labels with "—" and quotes stay readable; the file is data, never HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON document, shaped by <c>inventory-v1.schema.json</c> (documented in docs/formats.md).</summary>
    public static async Task WriteJsonAsync(InventoryReport report, Stream output, CancellationToken cancellationToken = default)
    {
        var document = new JsonInventory(
            JsonSchemaId,
            JsonFormatVersion,
            report.GeneratedAt,
            report.Account,
            new JsonFilter(report.Filter.Environment?.Code(), string.IsNullOrWhiteSpace(report.Filter.Provider) ? null : report.Filter.Provider.Trim(),
                report.Filter.Status is { } s ? ReportText.Status(s) : null, report.Filter.DueWithinDays),
            new JsonSummary(
                report.Summary.Environments.Select(e => new JsonEnvironmentSummary(e.Environment.Code(), e.Keys, e.CapsTotalUsd, e.OnSchedule, e.DueSoon, e.Overdue)).ToList(),
                report.Summary.ProvidersMissingAnEnvironment,
                report.Summary.Overdue,
                report.Summary.DueSoon),
            report.Rows.Select(r => new JsonKey(
                r.KeyId,
                r.Provider,
                r.Environment.Code(),
                r.Label,
                r.Hint,
                r.MonthlyCapUsd,
                r.CapSetAtProvider,
                r.Workflows,
                Nullable(r.Created),
                Nullable(r.LastRotated),
                Nullable(r.NextDue),
                ReportText.Status(r.Status),
                r.IsManagementKey,
                r.Spent is { } spent ? Spend(spent) : null)).ToList());
        await JsonSerializer.SerializeAsync(output, document, JsonOptions, cancellationToken);
    }

    private static JsonSpend Spend(InventorySpend spent) => new(
        spent.UsedThisMonth,
        spent.Unit == SpendUnit.Characters ? "characters" : "USD",
        spent.Used,
        spent.ComparedWith,
        spent.Basis switch
        {
            SpendBasis.RecordedCap => "recordedCap",
            SpendBasis.ProviderLimit => "providerLimit",
            _ => null,
        },
        spent.Period.ToString().ToLowerInvariant(),
        spent.ReadAt);

    private static string? Nullable(DateOnly? date) => date is null ? null : ReportText.Date(date);

    private sealed record JsonInventory(
        [property: JsonPropertyName("$schema")] string Schema,
        int FormatVersion,
        DateTimeOffset GeneratedAt,
        string Account,
        JsonFilter Filter,
        JsonSummary Summary,
        IReadOnlyList<JsonKey> Keys);

    private sealed record JsonFilter(string? Environment, string? Provider, string? Status, int? DueWithinDays);

    private sealed record JsonSummary(IReadOnlyList<JsonEnvironmentSummary> Environments, IReadOnlyList<string> ProvidersMissingAnEnvironment, int Overdue, int DueSoon);

    private sealed record JsonEnvironmentSummary(string Environment, int Keys, decimal CapsTotalUsd, int OnSchedule, int DueSoon, int Overdue);

    private sealed record JsonKey(
        Guid Id,
        string Provider,
        string Environment,
        string Label,
        string Hint,
        decimal? MonthlyCapUsd,
        bool CapSetAtProvider,
        IReadOnlyList<string> Workflows,
        string? Created,
        string? LastRotated,
        string? NextDue,
        string Status,
        bool ManagementKey,
        JsonSpend? Spend);

    /// <summary>Added to format version 1 without changing its other fields: the kept spend figure (issue 21 §3).</summary>
    private sealed record JsonSpend(decimal UsedThisMonth, string Unit, decimal Used, decimal? Cap, string? CapSource, string Period, DateTimeOffset AsOf);
}
