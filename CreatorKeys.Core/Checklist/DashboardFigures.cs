using System.Globalization;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Checklist;

/// <summary>
/// The numbers behind the dashboard's two pictures: what the keys in use may spend a month in each
/// environment (against the creator's budget for live work), and how many keys fall due in each month.
/// </summary>
public sealed record DashboardFigures(
    IReadOnlyDictionary<VaultEnvironment, decimal> CapsPerEnvironment,
    IReadOnlyDictionary<VaultEnvironment, int> UncappedPerEnvironment,
    decimal? MonthlyBudget,
    IReadOnlyList<DueMonth> DueByMonth)
{
    /// <summary>Months shown one by one after the overdue bar, the current month first; later keys share one bar.</summary>
    public const int MonthsShown = 6;

    public bool HasKeys => DueByMonth.Sum(m => m.Keys) > 0;

    /// <summary>
    /// Sorts keys in use into: overdue (past their date, or of unknown age, as the checklist counts them), each of
    /// the next <see cref="MonthsShown"/> calendar months from today's, and later.
    /// </summary>
    public static DashboardFigures From(IReadOnlyList<KeySummary> keysInUse, decimal? budget, DateOnly today, Func<KeySummary, DateOnly> dueOn)
    {
        var caps = VaultEnvironments.All.ToDictionary(e => e, e => keysInUse.Where(k => k.Environment == e).Sum(k => k.MonthlyCapUsd ?? 0m));
        var uncapped = VaultEnvironments.All.ToDictionary(e => e, e => keysInUse.Count(k => k.Environment == e && k.MonthlyCapUsd is null));

        var firstMonth = new DateOnly(today.Year, today.Month, 1);
        var overdue = 0;
        var later = 0;
        var perMonth = new int[MonthsShown];
        foreach (var key in keysInUse)
        {
            var due = dueOn(key);
            if (key.IssuedAt is null || due < today)
            {
                overdue++;
                continue;
            }

            var index = ((due.Year - firstMonth.Year) * 12) + due.Month - firstMonth.Month;
            if (index < MonthsShown)
            {
                perMonth[index]++;
            }
            else
            {
                later++;
            }
        }

        var months = new List<DueMonth> { new("Overdue", "Overdue", overdue, Overdue: true) };
        for (var i = 0; i < MonthsShown; i++)
        {
            var month = firstMonth.AddMonths(i);
            months.Add(new DueMonth(
                month.ToString(month.Year == today.Year ? "MMM" : "MMM yy", CultureInfo.InvariantCulture),
                month.ToString("MMMM yyyy", CultureInfo.InvariantCulture),
                perMonth[i],
                Overdue: false));
        }

        months.Add(new DueMonth("Later", "Later than " + firstMonth.AddMonths(MonthsShown - 1).ToString("MMMM yyyy", CultureInfo.InvariantCulture), later, Overdue: false));
        return new DashboardFigures(caps, uncapped, budget, months);
    }
}

/// <summary>One bar of the due-dates picture: its short axis label, its full name for screen readers, and its keys.</summary>
public sealed record DueMonth(string Label, string Name, int Keys, bool Overdue);
