using CreatorKeys.Core.Email;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// What the scheduler runs. Jobs take no arguments, are safe to run twice and record what
/// they did in the database before anything is sent, so a restart loses and repeats nothing.
/// </summary>
public sealed class ReminderJobs(ReminderService reminders, NearCapNoticeService nearCap, Reports.MonthlyReportService monthlyReports, OutboxService outbox)
{
    public const string DailyCheckId = "daily-reminder-check";
    public const string OutboxId = "outbox-delivery";

    /// <summary>
    /// The daily check of every account (reminders, keys that passed 80% of their cap, and the monthly report for those
    /// who asked), then sending what it queued.
    /// </summary>
    public async Task RunDailyCheckAsync(CancellationToken cancellationToken = default)
    {
        await reminders.CheckAsync(cancellationToken: cancellationToken);
        await nearCap.SendAsync(cancellationToken: cancellationToken);
        await monthlyReports.QueueDueAsync(cancellationToken);
        await outbox.DeliverDueAsync(cancellationToken);
    }

    /// <summary>Sends messages whose time has come (new ones, and retries).</summary>
    public async Task DeliverOutboxAsync(CancellationToken cancellationToken = default) =>
        await outbox.DeliverDueAsync(cancellationToken);
}
