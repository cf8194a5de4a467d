using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// The daily check and the in-app notifications. The check writes each reminder to the
/// ledger and the account's digest to the outbox in one transaction; the ledger's unique
/// index makes a second run (or a run after a restart) find nothing new, so nothing is sent twice.
/// Uses only metadata: a locked vault is never needed.
/// </summary>
public sealed class ReminderService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    OutboxService outbox,
    ReminderNotifier notifier,
    ActivityService activity,
    IOptions<ReminderOptions> reminderOptions,
    IOptions<EmailOptions> emailOptions,
    TimeProvider time,
    ILogger<ReminderService> logger)
{

    public TimeZoneInfo TimeZone { get; } = reminderOptions.Value.ResolveTimeZone();

    /// <summary>The most keys near their spend cap a digest lists.</summary>
    private const int NearCapListed = 20;

    /// <summary>Today in the configured time zone: the day due dates are compared with.</summary>
    public DateOnly Today => RotationSchedule.DayOf(time.GetUtcNow(), TimeZone);

    /// <summary>Checks every account (the daily job) or one account (its "check now" button).</summary>
    public async Task<CheckReport> CheckAsync(string? accountId = null, RequestOrigin? origin = null, CancellationToken cancellationToken = default)
    {
        var today = Today;
        var horizon = today.AddDays(RotationSchedule.FirstReminderDays);

        // First pass: which accounts have something new today? On most checks (the repeat runs of a day) none has, and this
        // is the whole check. Decided in the database: the keys within reach of a reminder are counted, and the accounts of
        // those whose latest reminder is not yet in the ledger are listed, so no key's row leaves the database. "Not yet in
        // the ledger" is a NOT EXISTS the engine can run as one anti-join (PostgreSQL hashes the ledger once); a lookup of
        // each key's latest recorded reminder was a sub-query per key, twice the raw scan at a million keys.
        int considered;
        var withNews = new HashSet<string>(StringComparer.Ordinal);
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // PostgreSQL would compile these queries first when their estimated cost passes jit_above_cost (a few million
            // keys), which costs more than it saves on a query run once.
            await using var noJit = await Database.BeginReadWithoutJitAsync(db.Database, cancellationToken);
            considered = await DueKeys(db, horizon, accountId).CountAsync(cancellationToken);
            // The account of each key with news, made distinct here: on a repeat run there are none, and DISTINCT made
            // SQLite walk every key in account order instead of only the due ones through the due-date index.
            await foreach (var account in WithNews(db, DueKeys(db, horizon, accountId), today)
                .Select(k => k.AccountId)
                .AsAsyncEnumerable()
                .WithCancellation(cancellationToken))
            {
                withNews.Add(account);
            }
        }

        // Second pass, only for the accounts with news: their due keys with what a digest shows, a batch of accounts at a time.
        List<DueKeyRow> due = [];
        foreach (var batch in withNews.Chunk(DetailBatch))
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            due.AddRange(await DueKeys(db, horizon, accountId)
                .Where(k => batch.Contains(k.AccountId))
                .Select(k => new DueKeyRow(k.Id, k.AccountId, k.ProviderName, k.Environment, k.Label, k.Hint, k.DueOn!.Value,
                    db.Reminders.Where(r => r.ApiKeyId == k.Id && r.DueOn == k.DueOn).Max(r => (int?)(
                        r.Stage == ReminderStage.Upcoming ? (r.Step == RotationSchedule.FirstReminderDays ? 0 : 1)
                        : r.Stage == ReminderStage.Due ? 2
                        : 2 + r.Step))))
                .ToListAsync(cancellationToken));
        }

        var reminders = 0;
        var messages = 0;
        var failed = 0;
        foreach (var account in due.GroupBy(k => k.AccountId))
        {
            try
            {
                var (created, queued) = await CheckAccountAsync(account.Key, [.. account], today, origin ?? RequestOrigin.System, cancellationToken);
                if (created > 0)
                {
                    reminders += created;
                    messages += queued ? 1 : 0;
                    notifier.Notify(account.Key);
                }
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException || Database.IsDatabaseError(ex))
            {
                // One account's trouble must not stop everyone else's reminders; the next run tries it again.
                failed++;
                logger.LogError(ex, "Reminder check failed for account {AccountId}; the other accounts were checked.", account.Key);
            }
        }

        logger.LogInformation("Reminder check for {Day}: {Keys} key(s) within {Days} days of their due date, {Reminders} new reminder(s), {Messages} digest(s) queued.",
            today, considered, RotationSchedule.FirstReminderDays, reminders, messages);
        return new CheckReport(today, considered, reminders, messages, failed);
    }

    /// <summary>Accounts whose due keys are read whole in one query of the second pass.</summary>
    private const int DetailBatch = 500;

    /// <summary>
    /// Keys in use due within the first-reminder horizon, not already being replaced (the creator is on it: the rotation
    /// page shows its steps). No ORDER BY: sorting every due key (a temporary B-tree) was about a quarter of the query's
    /// time at a million keys; keys are grouped by account in memory.
    /// </summary>
    private static IQueryable<ApiKey> DueKeys(CreatorKeysDbContext db, DateOnly horizon, string? accountId)
    {
        var query = db.ApiKeys.AsNoTracking().Where(k => k.Status == KeyStatus.Current && k.DueOn != null && k.DueOn <= horizon
            && !db.Rotations.Any(r => r.IsActive && r.OldKeyId == k.Id));
        return accountId is null ? query : query.Where(k => k.AccountId == accountId);
    }

    /// <summary>
    /// The keys of <paramref name="keys"/> (each due within the first-reminder horizon) whose reminder for
    /// <paramref name="today"/> (<see cref="RotationSchedule.StageOn"/>) is later than anything the ledger holds for their
    /// due date: no recorded reminder of the same due date reaches its <see cref="ReminderPoint.Order"/>. The point depends
    /// on how far the due date is from today, so the condition reads in bands of due dates: more than 7 days ahead (the
    /// 30-day reminder, which any recorded one reaches), up to 7 days ahead (reached by all but the 30-day one), due within
    /// the last week (reached by "due" and "overdue"), and overdue by a week or more, where the weekly repeat number
    /// (days overdue ÷ 7) is reached by an overdue reminder whose repeat n has due date + 7(n + 1) after today.
    /// <c>ReminderServiceTests</c> holds this to <see cref="ReminderPoint.Order"/> day by day on both databases.
    /// </summary>
    internal static IQueryable<ApiKey> WithNews(CreatorKeysDbContext db, IQueryable<ApiKey> keys, DateOnly today)
    {
        var secondReminder = today.AddDays(RotationSchedule.SecondReminderDays);
        var weekAgo = today.AddDays(-RotationSchedule.OverdueRepeatDays);
        return keys.Where(k => !db.Reminders.Any(r => r.ApiKeyId == k.Id && r.DueOn == k.DueOn && (
            k.DueOn > secondReminder
            || (k.DueOn > today && !(r.Stage == ReminderStage.Upcoming && r.Step == RotationSchedule.FirstReminderDays))
            || (k.DueOn > weekAgo && r.Stage != ReminderStage.Upcoming)
            || (r.Stage == ReminderStage.Overdue && r.DueOn.AddDays((r.Step + 1) * RotationSchedule.OverdueRepeatDays) > today))));
    }

    private async Task<(int Created, bool Queued)> CheckAccountAsync(string accountId, IReadOnlyList<DueKeyRow> keys, DateOnly today, RequestOrigin origin, CancellationToken cancellationToken)
    {
        var wanted = keys
            .Select(k => (Key: k, Point: RotationSchedule.StageOn(k.DueOn, today)))
            .Where(k => k.Point is not null)
            .Select(k => (k.Key, Point: k.Point!.Value))
            .ToList();

        // New means later than anything the ledger holds for this due date: a check never goes back to an earlier stage
        // (a clock or time zone moved back). A reminder recorded since the ledger was read (a concurrent check) is
        // refused by the unique index below.
        var fresh = wanted.Where(w => w.Point.Order > (w.Key.LatestRecorded ?? -1)).ToList();
        if (fresh.Count == 0)
        {
            return (0, false);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.Users.Where(u => u.Id == accountId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow();
        OutboxMessage? message = null;
        if (!string.IsNullOrWhiteSpace(email))
        {
            // The email lists what is new today and, so nothing hides between weekly repeats, every key already due or overdue.
            var listed = wanted.Where(w => fresh.Contains(w) || RotationSchedule.DaysLeft(w.Key.DueOn, today) <= 0);
            // The log's head, kept outside the server in the creator's mailbox (docs/decisions/010-activity-log-seal.md).
            var checkpoint = await db.ActivityCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.AccountId == accountId, cancellationToken);
            // Keys at 80% of their cap or more, from the kept figures (one bounded query; no vault, no provider call).
            var nearCap = (await StoredSpend.WorstAsync(db, accountId, NearCapListed, cancellationToken)).Where(s => s.NearCap).ToList();
            var digest = ReminderDigest.Compose(
                [.. listed.Select(f => new DigestKey(f.Key.Id, f.Key.ProviderName, f.Key.Environment, f.Key.Label, f.Key.Hint, f.Key.DueOn, f.Point))],
                today,
                emailOptions.Value.BaseAddress,
                checkpoint?.Code.ToString(),
                nearCap);
            message = outbox.Stage(db, accountId, OutboxMessageKind.ReminderDigest, email, digest.Subject, digest.Text, digest.Html);
        }

        foreach (var (key, point) in fresh)
        {
            db.Reminders.Add(new Reminder
            {
                Id = Guid.NewGuid(),
                AccountId = accountId,
                ApiKeyId = key.Id,
                DueOn = key.DueOn,
                Stage = point.Stage,
                Step = point.Step,
                CreatedAt = now,
                OutboxMessageId = message?.Id,
            });
        }

        activity.Stage(db, accountId, ActivityAction.RemindersChecked, origin, targetName: $"{CreatorKeys.Core.Text.Wording.Count(fresh.Count, "reminder")} for {CreatorKeys.Core.Text.Wording.Day(today)}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return (fresh.Count, message is not null);
        }
        catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
        {
            // Another check got there first (two "check now" presses, or the daily job at the same moment): it sent them.
            logger.LogInformation("Reminder check for account {AccountId} found its reminders already recorded by a concurrent run.", accountId);
            return (0, false);
        }
    }

    /// <summary>The account's notifications, newest first, with the key each is about.</summary>
    public async Task<IReadOnlyList<Notification>> ListNotificationsAsync(string accountId, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Reminders.AsNoTracking()
            .Where(r => r.AccountId == accountId)
            .OrderByDescending(r => r.CreatedAt)
            .ThenBy(r => r.DueOn)
            .Take(take)
            .Join(db.ApiKeys, r => r.ApiKeyId, k => k.Id, (r, k) => new
            {
                r.Id,
                r.ApiKeyId,
                r.DueOn,
                r.Stage,
                r.Step,
                r.CreatedAt,
                r.ReadAt,
                k.ProviderName,
                k.Environment,
                k.Label,
                k.Status,
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new Notification(r.Id, r.ApiKeyId, r.ProviderName, r.Environment, r.Label, r.DueOn, new ReminderPoint(r.Stage, r.Step), r.CreatedAt, r.ReadAt, r.Status == KeyStatus.Current))];
    }

    /// <summary>
    /// How many of the account's notifications are unread, counting no further than
    /// <paramref name="atMost"/>: the bell shows "99+" past 99, so it stops at 100 instead of
    /// reading thousands of index entries on every page.
    /// </summary>
    public async Task<int> CountUnreadAsync(string accountId, int atMost = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await CountUnreadQuery.For(db)(db, accountId, atMost, cancellationToken);
    }

    /// <summary>
    /// Compiled once: the bell asks on every page, and EF Core's per-call work (walking the LINQ
    /// expression to find the query's cache entry) was most of its cost. Ordered by a column the
    /// index already holds in order (so no sort), which a limit wants.
    /// </summary>
    private static readonly CompiledPerModel<Func<CreatorKeysDbContext, string, int, CancellationToken, Task<int>>> CountUnreadQuery = new(() =>
        EF.CompileAsyncQuery((CreatorKeysDbContext db, string accountId, int atMost, CancellationToken _) =>
            db.Reminders.Where(r => r.AccountId == accountId && r.ReadAt == null).OrderBy(r => r.ReadAt).Take(atMost).Count()));

    /// <summary>Marks one notification (or, with no id, all of them) as read.</summary>
    public async Task MarkReadAsync(string accountId, Guid? reminderId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var query = db.Reminders.Where(r => r.AccountId == accountId && r.ReadAt == null);
        if (reminderId is { } id)
        {
            query = query.Where(r => r.Id == id);
        }

        if (await query.ExecuteUpdateAsync(set => set.SetProperty(r => r.ReadAt, now), cancellationToken) > 0)
        {
            notifier.Notify(accountId);
        }
    }

    private sealed record DueKeyRow(Guid Id, string AccountId, string ProviderName, VaultEnvironment Environment, string Label, string Hint, DateOnly DueOn, int? LatestRecorded);
}

/// <summary>What one check did: the day it checked, the keys within reach, the reminders and digests it created.</summary>
public sealed record CheckReport(DateOnly Day, int KeysConsidered, int RemindersCreated, int MessagesQueued, int AccountsFailed = 0);

/// <summary>An in-app notification: a reminder and the key it is about.</summary>
public sealed record Notification(
    Guid Id,
    Guid KeyId,
    string ProviderName,
    VaultEnvironment Environment,
    string Label,
    DateOnly DueOn,
    ReminderPoint Point,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReadAt,
    bool KeyStillInUse)
{
    public bool IsRead => ReadAt is not null;

    public string Headline => Point.Stage switch
    {
        ReminderStage.Upcoming => $"{Environment.Code()} {ProviderName} is due for replacement on {CreatorKeys.Core.Text.Wording.Day(DueOn)}",
        ReminderStage.Due => $"{Environment.Code()} {ProviderName} is due for replacement",
        _ => $"{Environment.Code()} {ProviderName} is overdue for replacement",
    };
}
