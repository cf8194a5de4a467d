using CreatorKeys.Core.Reminders;

namespace CreatorKeys.Tests.Core.Reminders;

/// <summary>The calendar arithmetic of due dates and reminder stages.</summary>
public sealed class RotationScheduleTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData(59, null, 0)]
    [InlineData(60, ReminderStage.Upcoming, 30)]
    [InlineData(82, ReminderStage.Upcoming, 30)]
    [InlineData(83, ReminderStage.Upcoming, 7)]
    [InlineData(89, ReminderStage.Upcoming, 7)]
    [InlineData(90, ReminderStage.Due, 0)]
    [InlineData(96, ReminderStage.Due, 0)]
    [InlineData(97, ReminderStage.Overdue, 1)]
    [InlineData(103, ReminderStage.Overdue, 1)]
    [InlineData(104, ReminderStage.Overdue, 2)]
    [InlineData(181, ReminderStage.Overdue, 13)]
    public void StageOn_NinetyDayPolicy_FirstReminderAtDaySixty(int day, ReminderStage? stage, int step)
    {
        var issued = new DateOnly(2027, 1, 10);
        var due = issued.AddDays(90);

        var point = RotationSchedule.StageOn(due, issued.AddDays(day));

        Assert.Equal(stage, point?.Stage);
        if (point is not null)
        {
            Assert.Equal(step, point.Value.Step);
        }
    }

    [Fact]
    public void DueOn_AcrossAMonthEnd_CountsCalendarDays()
    {
        var issued = new DateTimeOffset(2027, 1, 31, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 3, 2), RotationSchedule.DueOn(issued, issued, 30, null, TimeZoneInfo.Utc));
        Assert.Equal(new DateOnly(2027, 5, 1), RotationSchedule.DueOn(issued, issued, 90, null, TimeZoneInfo.Utc));
    }

    [Fact]
    public void DueOn_AcrossALeapDay_LandsOnIt()
    {
        var issued = new DateTimeOffset(2027, 12, 1, 9, 0, 0, TimeSpan.Zero);

        var due = RotationSchedule.DueOn(issued, issued, 90, null, TimeZoneInfo.Utc);

        Assert.Equal(new DateOnly(2028, 2, 29), due);
        Assert.Equal(ReminderStage.Due, RotationSchedule.StageOn(due, new DateOnly(2028, 2, 29))!.Value.Stage);
        Assert.Equal(ReminderStage.Upcoming, RotationSchedule.StageOn(due, new DateOnly(2028, 2, 28))!.Value.Stage);
    }

    [Fact]
    public void DueOn_IsTheCalendarDayInTheConfiguredZone_NotInUtc()
    {
        // 02:30 UTC on 15 January is still the evening of 14 January in New York.
        var issued = new DateTimeOffset(2027, 1, 15, 2, 30, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 4, 14), RotationSchedule.DueOn(issued, issued, 90, null, NewYork));
        Assert.Equal(new DateOnly(2027, 4, 15), RotationSchedule.DueOn(issued, issued, 90, null, TimeZoneInfo.Utc));
    }

    [Fact]
    public void Today_AroundADaylightSavingChange_FollowsTheLocalCalendar()
    {
        // US clocks jump from 02:00 to 03:00 on 14 March 2027. A key due that day:
        var issued = new DateTimeOffset(2026, 12, 14, 14, 0, 0, TimeSpan.FromHours(-5));
        var due = RotationSchedule.DueOn(issued, issued, 90, null, NewYork);
        Assert.Equal(new DateOnly(2027, 3, 14), due);

        // 23:30 on the 13th (EST, UTC-5) is still the day before; 00:30 on the 14th is the due day,
        // and a check at 08:00 EDT (UTC-4, after the jump) is too.
        var lateOnThirteenth = new DateTimeOffset(2027, 3, 14, 4, 30, 0, TimeSpan.Zero);
        var justAfterMidnight = new DateTimeOffset(2027, 3, 14, 5, 30, 0, TimeSpan.Zero);
        var morningAfterJump = new DateTimeOffset(2027, 3, 14, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(ReminderStage.Upcoming, RotationSchedule.StageOn(due, RotationSchedule.DayOf(lateOnThirteenth, NewYork))!.Value.Stage);
        Assert.Equal(ReminderStage.Due, RotationSchedule.StageOn(due, RotationSchedule.DayOf(justAfterMidnight, NewYork))!.Value.Stage);
        Assert.Equal(ReminderStage.Due, RotationSchedule.StageOn(due, RotationSchedule.DayOf(morningAfterJump, NewYork))!.Value.Stage);
    }

    [Fact]
    public void DueOn_UnknownIssueDate_IsDueTheDayItWasStored()
    {
        var stored = new DateTimeOffset(2027, 6, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 6, 1), RotationSchedule.DueOn(null, stored, 90, null, TimeZoneInfo.Utc));
    }

    [Fact]
    public void DueOn_FinishedTestCycle_MakesItDueThatDayButNeverLater()
    {
        var issued = new DateTimeOffset(2027, 1, 1, 10, 0, 0, TimeSpan.Zero);
        var cycleDone = new DateTimeOffset(2027, 2, 1, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateOnly(2027, 2, 1), RotationSchedule.DueOn(issued, issued, 180, cycleDone, TimeZoneInfo.Utc));
        // A mark after the key is already due does not push it later.
        Assert.Equal(new DateOnly(2027, 1, 11), RotationSchedule.DueOn(issued, issued, 10, cycleDone, TimeZoneInfo.Utc));
    }

    [Theory]
    [InlineData(0, "due today")]
    [InlineData(1, "due tomorrow")]
    [InlineData(12, "due in 12 days")]
    [InlineData(-1, "overdue by 1 day")]
    [InlineData(-9, "overdue by 9 days")]
    public void Describe_ReadsInPlainWords(int daysLeft, string expected)
    {
        var today = new DateOnly(2027, 5, 5);

        Assert.Equal(expected, RotationSchedule.Describe(today.AddDays(daysLeft), today));
    }

    [Fact]
    public void PointOrder_GrowsExactlyWhenTheStageChanges_FromThirtyDaysBeforeToMonthsOverdue()
    {
        // The daily check treats a point as new only when its order is above the latest one recorded.
        var due = new DateOnly(2027, 3, 1);
        var points = Enumerable.Range(-RotationSchedule.FirstReminderDays, 200)
            .Select(offset => RotationSchedule.StageOn(due, due.AddDays(offset)))
            .OfType<ReminderPoint>()
            .ToList();

        Assert.Equal(0, points[0].Order);
        for (var i = 1; i < points.Count; i++)
        {
            Assert.Equal(points[i] == points[i - 1] ? 0 : 1, points[i].Order - points[i - 1].Order);
        }

        Assert.Equal([0, 1, 2, 3], points.Select(p => p.Order).Distinct().Take(4));
        Assert.Equal(2 + (169 / RotationSchedule.OverdueRepeatDays), points[^1].Order);
    }
}
