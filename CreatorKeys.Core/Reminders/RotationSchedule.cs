using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// The calendar arithmetic of rotation: when a key is due, and which reminder stage a day
/// falls in. Everything is in whole calendar days of the configured time zone, so a
/// daylight-saving change or the hour the check runs never moves a reminder to another day.
/// </summary>
public static class RotationSchedule
{
    /// <summary>The first reminder, this many days before the due date.</summary>
    public const int FirstReminderDays = 30;

    /// <summary>The second reminder, this many days before the due date.</summary>
    public const int SecondReminderDays = 7;

    /// <summary>While a key is overdue, a reminder comes again every this many days.</summary>
    public const int OverdueRepeatDays = 7;

    /// <summary>The presets offered for a PROD key's policy; any whole number of days in range is allowed.</summary>
    public static IReadOnlyList<int> ProdPresets { get; } = [60, 75, 90];

    public const int MinDays = 1;
    public const int MaxProdDays = 365;
    public const int MaxTestDays = 730;

    public static int MaxDaysFor(VaultEnvironment environment) => environment == VaultEnvironment.Prod ? MaxProdDays : MaxTestDays;

    /// <summary>The calendar day <paramref name="instant"/> falls on in <paramref name="timeZone"/>.</summary>
    public static DateOnly DayOf(DateTimeOffset instant, TimeZoneInfo timeZone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);

    /// <summary>
    /// When a current key is due: its policy's days after the provider created it, or at once
    /// when that date is unknown; sooner if a finished test cycle marked it due.
    /// </summary>
    public static DateOnly DueOn(DateTimeOffset? issuedAt, DateTimeOffset createdAt, int rotationDays, DateTimeOffset? dueNowSince, TimeZoneInfo timeZone)
    {
        var due = issuedAt is { } issued ? DayOf(issued, timeZone).AddDays(rotationDays) : DayOf(createdAt, timeZone);
        if (dueNowSince is { } marked)
        {
            var markedDay = DayOf(marked, timeZone);
            due = markedDay < due ? markedDay : due;
        }

        return due;
    }

    /// <summary>The due date of a key as stored, or null when it is not a key in use.</summary>
    public static DateOnly? DueOn(ApiKey key, TimeZoneInfo timeZone) =>
        key.Status == KeyStatus.Current ? DueOn(key.IssuedAt, key.CreatedAt, key.RotationDays, Earliest(key.DueNowSince, key.CompromisedAt), timeZone) : null;

    /// <summary>The earlier of two "due from" marks: a finished test cycle, or the day a key was marked compromised.</summary>
    public static DateTimeOffset? Earliest(DateTimeOffset? first, DateTimeOffset? second) =>
        first is null ? second : second is null ? first : first < second ? first : second;

    /// <summary>The policy a new key gets when none is chosen: the environment's default from settings.</summary>
    public static int DefaultDays(VaultEnvironment environment, RotationOptions options) => options.DaysFor(environment);

    /// <summary>
    /// The reminder a key due on <paramref name="dueOn"/> should have by <paramref name="today"/>,
    /// or null when it is too early. A check that missed days catches up with the latest stage only.
    /// </summary>
    public static ReminderPoint? StageOn(DateOnly dueOn, DateOnly today)
    {
        var daysLeft = dueOn.DayNumber - today.DayNumber;
        return daysLeft switch
        {
            > FirstReminderDays => null,
            > SecondReminderDays => new ReminderPoint(ReminderStage.Upcoming, FirstReminderDays),
            > 0 => new ReminderPoint(ReminderStage.Upcoming, SecondReminderDays),
            > -OverdueRepeatDays => new ReminderPoint(ReminderStage.Due, 0),
            _ => new ReminderPoint(ReminderStage.Overdue, -daysLeft / OverdueRepeatDays),
        };
    }

    /// <summary>Whole days from <paramref name="today"/> to <paramref name="dueOn"/>; negative when overdue.</summary>
    public static int DaysLeft(DateOnly dueOn, DateOnly today) => dueOn.DayNumber - today.DayNumber;

    /// <summary>"in 12 days", "today", "3 days ago": how a due date reads next to a key.</summary>
    public static string Describe(DateOnly dueOn, DateOnly today)
    {
        var days = DaysLeft(dueOn, today);
        return days switch
        {
            0 => "due today",
            1 => "due tomorrow",
            > 1 => $"due in {days} days",
            -1 => "overdue by 1 day",
            _ => $"overdue by {-days} days",
        };
    }
}

/// <summary>
/// One reminder of a due date: <see cref="ReminderStage.Upcoming"/> with the days before
/// (30 or 7), <see cref="ReminderStage.Due"/> with 0, or <see cref="ReminderStage.Overdue"/>
/// with the number of the weekly repeat (1, 2, …).
/// </summary>
public readonly record struct ReminderPoint(ReminderStage Stage, int Step)
{
    /// <summary>
    /// Where the point falls in a due date's sequence: 0 (30 days before), 1 (7 days before), 2 (due), then 2 + the
    /// weekly repeat. A later day never has a smaller one. The daily check computes the same in SQL.
    /// </summary>
    public int Order => Stage switch
    {
        ReminderStage.Upcoming => Step == RotationSchedule.FirstReminderDays ? 0 : 1,
        ReminderStage.Due => 2,
        _ => 2 + Step,
    };

    public bool IsUrgent => Stage == ReminderStage.Overdue;
}

public enum ReminderStage
{
    Upcoming,
    Due,
    Overdue,
}
