using CreatorKeys.Core.Reminders;
using Hangfire;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web.Reminders;

/// <summary>
/// Registers the recurring jobs with Hangfire once the app has started: the daily check at the configured
/// time and zone, and outbox delivery every minute (for retries). Hangfire's in-memory
/// storage forgets everything on restart, so this runs on every start, runs one check at once
/// (catching up a day the app was off) and sends whatever the outbox kept. On PostgreSQL every
/// instance does the same on one shared storage: registering is idempotent, and the extra
/// checks find their reminders already recorded (decision 020).
/// </summary>
internal sealed class ReminderScheduler(
    IRecurringJobManager recurringJobs,
    IBackgroundJobClient backgroundJobs,
    IOptions<ReminderOptions> options,
    ILogger<ReminderScheduler> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Once every hosted service has started, the web server included: the server answers while the jobs are written
    /// (on PostgreSQL a few round trips, about 0.15 s of start-up), and starting the host still waits for them.
    /// </summary>
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var timeZone = settings.ResolveTimeZone();
        recurringJobs.AddOrUpdate<ReminderJobs>(
            ReminderJobs.DailyCheckId,
            jobs => jobs.RunDailyCheckAsync(CancellationToken.None),
            settings.Schedule.Trim(),
            new RecurringJobOptions { TimeZone = timeZone });
        recurringJobs.AddOrUpdate<ReminderJobs>(
            ReminderJobs.OutboxId,
            jobs => jobs.DeliverOutboxAsync(CancellationToken.None),
            Cron.Minutely());
        // Catch up at every start: a computer that was off at check time still gets today's reminders
        // (the ledger makes an extra run harmless), and mail that waited through the restart goes out.
        backgroundJobs.Enqueue<ReminderJobs>(jobs => jobs.RunDailyCheckAsync(CancellationToken.None));

        var next = settings.ParseSchedule().GetNextOccurrence(DateTimeOffset.UtcNow, timeZone);
        logger.LogInformation("Rotation reminders are checked on the schedule \"{Schedule}\" ({TimeZone}); next check at {Next:u}.", settings.Schedule, timeZone.Id, next);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
