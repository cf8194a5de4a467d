using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Reports;

/// <summary>Where a key is in its life, as the report shows it.</summary>
public enum ReportStatus
{
    Current,
    Pending,
    Previous,
    Retired,
    Compromised,
}

/// <summary>Which keys a report covers; every filter is optional.</summary>
public sealed record InventoryFilter(
    VaultEnvironment? Environment = null,
    string? Provider = null,
    ReportStatus? Status = null,
    int? DueWithinDays = null)
{
    public const int MaxDueWithinDays = 3650;

    public static InventoryFilter All { get; } = new();

    /// <summary>A sentence for the report's header: "PROD keys of OpenAI, due within 30 days".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Environment is { } environment)
        {
            parts.Add($"{environment.Code()} only");
        }

        if (!string.IsNullOrWhiteSpace(Provider))
        {
            parts.Add($"service {Provider.Trim()}");
        }

        if (Status is { } status)
        {
            parts.Add($"status {ReportText.Status(status)}");
        }

        if (DueWithinDays is { } days)
        {
            parts.Add($"due within {CreatorKeys.Core.Text.Wording.Count(days, "day")}");
        }

        return parts.Count == 0 ? "All keys" : string.Join(", ", parts);
    }
}

/// <summary>One key in the inventory: everything about it except its value.</summary>
public sealed record InventoryRow(
    Guid KeyId,
    string Provider,
    VaultEnvironment Environment,
    string Label,
    string Hint,
    decimal? MonthlyCapUsd,
    bool CapSetAtProvider,
    IReadOnlyList<string> Workflows,
    DateOnly? Created,
    DateOnly? LastRotated,
    DateOnly? NextDue,
    ReportStatus Status,
    InventorySpend? Spent = null,
    bool IsManagementKey = false);

/// <summary>
/// A key's last known use this month, as its provider reported it, with when it was read (never a value), and what it
/// was compared with: the provider's own limit when it reports one, otherwise the key's recorded dollar cap
/// (<see cref="SpendStanding.From"/>, the same rule as the dashboard).
/// </summary>
public sealed record InventorySpend(SpendUnit Unit, decimal UsedThisMonth, DateTimeOffset ReadAt)
{
    /// <summary>What <see cref="Used"/> is compared with.</summary>
    public SpendBasis Basis { get; init; } = SpendBasis.NoCap;

    /// <summary>The cap or limit compared with (in <see cref="Unit"/>), or null when there is none.</summary>
    public decimal? ComparedWith { get; init; }

    /// <summary>The use counted against <see cref="ComparedWith"/> over <see cref="Period"/>.</summary>
    public decimal Used { get; init; }

    public SpendPeriod Period { get; init; } = SpendPeriod.Month;

    /// <summary>The figure is the key's project's, every key in it (OpenAI), not the key's own.</summary>
    public bool ProjectWide { get; init; }

    public static InventorySpend From(SpendStanding standing) => new(standing.Unit, standing.UsedThisMonth, standing.ReadAt)
    {
        Basis = standing.Basis,
        ComparedWith = standing.Limit,
        Used = standing.Used,
        Period = standing.Period,
        ProjectWide = standing.ProjectWide,
    };
}

/// <summary>Per-environment figures of the summary.</summary>
public sealed record EnvironmentSummary(VaultEnvironment Environment, int Keys, decimal CapsTotalUsd, int OnSchedule, int DueSoon, int Overdue);

public sealed record InventorySummary(
    IReadOnlyList<EnvironmentSummary> Environments,
    IReadOnlyList<string> ProvidersMissingAnEnvironment,
    int Overdue,
    int DueSoon)
{
    /// <summary>A key in use is "due soon" when its replacement date is within this many days.</summary>
    public const int DueSoonDays = 30;
}

/// <summary>The inventory as generated: header facts, the summary of the whole vault, and the rows the filter selected.</summary>
public sealed record InventoryReport(
    string Account,
    DateTimeOffset GeneratedAt,
    DateOnly Today,
    InventoryFilter Filter,
    InventorySummary Summary,
    IReadOnlyList<InventoryRow> Rows)
{
    /// <summary>
    /// Every service in the vault (not only the filtered rows'), in name order, for the page's "Service" filter: worked
    /// out once with the kept report, not from its 10,000 rows on every visit (4 ms of the page at that size).
    /// </summary>
    public IReadOnlyList<string> Providers { get; init; } = [];
}

/// <summary>Plain words shared by the page and every export.</summary>
public static class ReportText
{
    public static string Status(ReportStatus status) => status switch
    {
        ReportStatus.Current => "current",
        ReportStatus.Pending => "pending",
        ReportStatus.Previous => "previous",
        ReportStatus.Retired => "retired",
        _ => "compromised",
    };

    public static string Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// "12.4 USD (as of 2026-12-07 14:05 UTC)", "12400 characters (as of …)", "8.5 USD by the whole project (as of …)"
    /// for a project's figure (OpenAI), or empty when never read.
    /// </summary>
    public static string Spent(InventorySpend? spent) => spent is null
        ? ""
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(spent.Unit == SpendUnit.Characters ? decimal.Round(spent.UsedThisMonth, 0).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " characters" : Money(decimal.Round(spent.UsedThisMonth, 2)) + " USD")}{(spent.ProjectWide ? " by the whole project" : "")} (as of {spent.ReadAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC)");

    /// <summary>What the report says in a management key's workflows cell: nobody's workflow uses it, CreatorKeys does.</summary>
    public const string ManagementKey = "management key — used only by CreatorKeys for the provider's API";

    public static string Money(decimal? amount) => amount is { } value ? value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) : "";
}
