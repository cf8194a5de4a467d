using System.Globalization;
using System.Net;
using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reports;

/// <summary>
/// The optional monthly email with the inventory PDF attached, for creators who turned it on.
/// Runs with the daily check; the first check of a month queues one message per account
/// (a unique key per account and month keeps it to one, across runs and restarts), and the
/// outbox sends it like any reminder.
/// </summary>
public sealed class MonthlyReportService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    InventoryReportService reports,
    OutboxService outbox,
    ActivityService activity,
    ReminderService reminders,
    IOptions<EmailOptions> emailOptions,
    ILogger<MonthlyReportService> logger)
{
    public async Task<bool> IsEnabledAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(u => u.Id == accountId).Select(u => u.MonthlyReportEmail).SingleOrDefaultAsync(cancellationToken);
    }

    public async Task SetEnabledAsync(string accountId, bool enabled, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.SingleAsync(u => u.Id == accountId, cancellationToken);
        if (account.MonthlyReportEmail == enabled)
        {
            return;
        }

        account.MonthlyReportEmail = enabled;
        activity.Stage(db, accountId, ActivityAction.MonthlyReportChanged, origin, targetName: enabled ? "on" : "off");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Queues this month's report for every account that wants one and has not had it; returns how many.</summary>
    public async Task<int> QueueDueAsync(CancellationToken cancellationToken = default)
    {
        var today = reminders.Today;
        var month = today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Users.AsNoTracking()
            .Where(u => u.MonthlyReportEmail && u.Email != null)
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(cancellationToken);
        var queued = 0;
        foreach (var account in accounts)
        {
            var dedup = $"monthly-report:{account.Id}:{month}";
            if (await db.Outbox.AnyAsync(m => m.DedupKey == dedup, cancellationToken))
            {
                continue;
            }

            try
            {
                var report = await reports.BuildAsync(account.Id, InventoryFilter.All, cancellationToken);
                using var pdf = new MemoryStream();
                InventoryPdf.Write(report, pdf);
                var (subject, text, html) = Compose(report, today);
                await using var write = await dbFactory.CreateDbContextAsync(cancellationToken);
                outbox.Stage(write, account.Id, OutboxMessageKind.MonthlyReport, account.Email!, subject, text, html,
                    new MessageAttachment(InventoryExports.FileName(report, ExportFormat.Pdf), "application/pdf", pdf.ToArray()), dedup);
                activity.Stage(write, account.Id, ActivityAction.ReportExported, RequestOrigin.System, targetName: $"PDF by monthly email, {CreatorKeys.Core.Text.Wording.Count(report.Rows.Count, "key")}");
                await write.SaveChangesAsync(cancellationToken);
                queued++;
            }
            catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
            {
                logger.LogInformation("The monthly report for account {AccountId} was queued by a concurrent run.", account.Id);
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or IOException || Database.IsDatabaseError(ex))
            {
                // One account's report must not stop the others'; the next daily run tries again.
                logger.LogError(ex, "The monthly report for account {AccountId} could not be queued.", account.Id);
            }
        }

        return queued;
    }

    private (string Subject, string Text, string Html) Compose(InventoryReport report, DateOnly today)
    {
        var monthName = today.ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        var inUse = report.Summary.Environments.Sum(e => e.Keys);
        var subject = $"Your key inventory for {monthName}: {inUse} key{(inUse == 1 ? "" : "s")} in use"
            + (report.Summary.Overdue > 0 ? $", {report.Summary.Overdue} overdue" : "");
        var root = emailOptions.Value.BaseAddress.TrimEnd('/');
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{subject}\n\n");
        foreach (var environment in report.Summary.Environments)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {environment.Environment.Code()}: {environment.Keys} in use, caps ${ReportText.Money(environment.CapsTotalUsd)}, {environment.DueSoon} due within 30 days, {environment.Overdue} overdue\n");
        }

        text.Append("\nThe full inventory is attached as a PDF. It lists keys by name and hint only; it never contains a key's value.\n");
        text.Append(CultureInfo.InvariantCulture, $"Turn this email off on the Reports page: {root}/reports\n");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(subject)).Append("</title></head>")
            .Append("<body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\"><h1 style=\"font-size:20px\">").Append(WebUtility.HtmlEncode(subject)).Append("</h1><ul>");
        foreach (var environment in report.Summary.Environments)
        {
            html.Append("<li><strong>").Append(environment.Environment.Code()).Append("</strong>: ")
                .Append(WebUtility.HtmlEncode($"{environment.Keys} in use, caps ${ReportText.Money(environment.CapsTotalUsd)}, {environment.DueSoon} due within 30 days, {environment.Overdue} overdue"))
                .Append("</li>");
        }

        html.Append("</ul><p>The full inventory is attached as a PDF. It lists keys by name and hint only; it never contains a key's value.</p>")
            .Append("<p style=\"color:#6b7280;font-size:13px\"><a href=\"").Append(WebUtility.HtmlEncode(root + "/reports")).Append("\">Turn this email off on the Reports page</a>.</p></body></html>");
        return (subject, text.ToString(), html.ToString());
    }
}
