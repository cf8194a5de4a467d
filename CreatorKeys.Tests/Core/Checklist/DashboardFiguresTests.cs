using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Checklist;

public sealed class DashboardFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    [Fact]
    public void From_AddsUpCapsPerEnvironmentAndCountsKeysWithoutOne()
    {
        var keys = new[]
        {
            Key(VaultEnvironment.Dev, 5m, Today.AddDays(40)), Key(VaultEnvironment.Dev, null, Today.AddDays(40)),
            Key(VaultEnvironment.Staging, 20m, Today.AddDays(40)),
            Key(VaultEnvironment.Prod, 100m, Today.AddDays(40)), Key(VaultEnvironment.Prod, 250.5m, Today.AddDays(40)),
        };

        var figures = DashboardFigures.From(keys, 400m, Today, DueOf);

        Assert.Equal(5m, figures.CapsPerEnvironment[VaultEnvironment.Dev]);
        Assert.Equal(20m, figures.CapsPerEnvironment[VaultEnvironment.Staging]);
        Assert.Equal(350.5m, figures.CapsPerEnvironment[VaultEnvironment.Prod]);
        Assert.Equal(1, figures.UncappedPerEnvironment[VaultEnvironment.Dev]);
        Assert.Equal(0, figures.UncappedPerEnvironment[VaultEnvironment.Prod]);
        Assert.Equal(400m, figures.MonthlyBudget);
    }

    [Fact]
    public void From_SortsKeysIntoOverdueEachOfSixMonthsAndLater()
    {
        var keys = new[]
        {
            Key(VaultEnvironment.Prod, 1m, Today.AddDays(-1)),                 // overdue
            Key(VaultEnvironment.Prod, 1m, Today.AddDays(-200)),               // overdue
            Key(VaultEnvironment.Dev, 1m, Today.AddDays(30), issued: false),   // unknown age: overdue, as the checklist counts it
            Key(VaultEnvironment.Prod, 1m, Today),                             // due today: November, not overdue
            Key(VaultEnvironment.Prod, 1m, new DateOnly(2026, 11, 30)),        // November
            Key(VaultEnvironment.Prod, 1m, new DateOnly(2026, 12, 1)),         // December
            Key(VaultEnvironment.Prod, 1m, new DateOnly(2027, 1, 31)),         // January, next year
            Key(VaultEnvironment.Prod, 1m, new DateOnly(2027, 4, 30)),         // April: the sixth month shown
            Key(VaultEnvironment.Prod, 1m, new DateOnly(2027, 5, 1)),          // May: later
        };

        var figures = DashboardFigures.From(keys, null, Today, DueOf);

        Assert.Equal(
            ["Overdue", "Nov", "Dec", "Jan 27", "Feb 27", "Mar 27", "Apr 27", "Later"],
            figures.DueByMonth.Select(m => m.Label));
        Assert.Equal([3, 2, 1, 1, 0, 0, 1, 1], figures.DueByMonth.Select(m => m.Keys));
        Assert.Equal([true, false, false, false, false, false, false, false], figures.DueByMonth.Select(m => m.Overdue));
        Assert.Equal("January 2027", figures.DueByMonth[3].Name);
        Assert.Equal("Later than April 2027", figures.DueByMonth[^1].Name);
        Assert.True(figures.HasKeys);
        Assert.False(DashboardFigures.From([], null, Today, DueOf).HasKeys);
    }

    [Fact]
    public void Evaluate_FiguresCountTheKeysInUseOnly_WithTheChecklistsDueDates()
    {
        var current = Key(VaultEnvironment.Prod, 100m, Today) with { IssuedAt = Now.AddDays(-100), RotationDays = 90, DueOn = null };
        var retired = Key(VaultEnvironment.Prod, 900m, Today.AddDays(10)) with { Status = KeyStatus.Retired };
        var checklist = SecurityChecklistService.Evaluate(
            new SetupOverview(new SetupProgress(), [], [current, retired], ProviderCatalog.Shipped.Providers), 50m, true, new RotationOptions(), Now);

        var figures = Assert.IsType<DashboardFigures>(checklist.Figures);
        Assert.Equal(100m, figures.CapsPerEnvironment[VaultEnvironment.Prod]);
        Assert.Equal(1, figures.DueByMonth.Sum(m => m.Keys));
        // 100 days old on a 90-day schedule: overdue here and on the checklist alike.
        Assert.Equal(1, figures.DueByMonth[0].Keys);
        Assert.False(checklist.Checks.Single(c => c.Id == ChecklistCheckId.NothingOverdue).Passed);
    }

    private static DateOnly DueOf(KeySummary key) => key.DueOn!.Value;

    private static KeySummary Key(VaultEnvironment environment, decimal? cap, DateOnly due, bool issued = true) =>
        new(Guid.NewGuid(), null, "OpenAI", environment, $"{environment.Code()} — OpenAI — Created 2026-11-01", "sk-…abcd", cap, cap is not null,
            KeyStatus.Current, issued ? Now.AddDays(-10) : null, Now.AddDays(-10), Now.AddDays(-10), DueOn: due);
}
