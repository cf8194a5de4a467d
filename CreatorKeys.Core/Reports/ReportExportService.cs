using CreatorKeys.Core.Audit;

namespace CreatorKeys.Core.Reports;

/// <summary>Produces an export of the inventory and records it in the activity log.</summary>
public sealed class ReportExportService(InventoryReportService reports, ActivityService activity)
{
    public async Task<ExportFile> ExportAsync(string accountId, InventoryFilter filter, ExportFormat format, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var report = await reports.BuildAsync(accountId, filter, cancellationToken);
        using var output = new MemoryStream();
        switch (format)
        {
            case ExportFormat.Csv:
                await InventoryExports.WriteCsvAsync(report, output, cancellationToken);
                break;
            case ExportFormat.Json:
                await InventoryExports.WriteJsonAsync(report, output, cancellationToken);
                break;
            default:
                InventoryPdf.Write(report, output);
                break;
        }

        await activity.RecordAsync(accountId, ActivityAction.ReportExported, origin, targetName: $"{format.ToString().ToUpperInvariant()}, {CreatorKeys.Core.Text.Wording.Count(report.Rows.Count, "key")}: {filter.Describe()}", environment: filter.Environment, cancellationToken: cancellationToken);
        return new ExportFile(InventoryExports.FileName(report, format), InventoryExports.ContentType(format), output.ToArray());
    }
}

public sealed record ExportFile(string FileName, string ContentType, byte[] Content);
