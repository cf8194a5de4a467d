using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Reports;

/// <summary>
/// Builds the inventory report of one account from metadata only (labels, hints, caps, dates,
/// workflows): no value is ever read, so the vault need not even be unlocked.
/// <para>
/// The whole vault's rows, sorted, and its summary are kept between visits like the dashboard's score (see
/// <see cref="SecurityChecklistService"/>): until something they come from changes, the day changes or
/// <see cref="SecurityChecklistService.KeptFor"/> passes. A filter picks from the kept rows, which keeps their order.
/// </para>
/// </summary>
public sealed class InventoryReportService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ReminderService reminders,
    AccountChanges changes,
    TimeProvider time)
{
    private readonly KeptPerAccount<InventoryReport> _kept =
        new(changes, time, SecurityChecklistService.KeptFor, now => RotationSchedule.DayOf(now, reminders.TimeZone));

    public async Task<InventoryReport> BuildAsync(string accountId, InventoryFilter filter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var all = await _kept.GetAsync(accountId, ct => BuildAllAsync(accountId, ct), cancellationToken);

        // The summary is of the whole vault: a filtered one would call a service "missing" the environments filtered out.
        return filter == InventoryFilter.All
            ? all with { GeneratedAt = now }
            : all with { GeneratedAt = now, Filter = filter, Rows = all.Rows.Where(r => Matches(r, filter, all.Today)).ToList() };
    }

    private async Task<InventoryReport> BuildAllAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.Where(u => u.Id == accountId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken) ?? "";
        var timeZone = reminders.TimeZone;
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId)
            .Select(k => new
            {
                k.Id,
                k.ProviderId,
                k.ProviderName,
                k.Environment,
                k.Label,
                k.Hint,
                k.MonthlyCapUsd,
                k.CapSetAtProvider,
                k.Status,
                k.CompromisedAt,
                k.IssuedAt,
                k.CreatedAt,
                k.RotatedInAt,
                k.DueOn,
                k.IsManagementKey,
            })
            .ToListAsync(cancellationToken);
        var uses = await db.WorkflowKeyUses.AsNoTracking()
            .Join(db.Workflows.Where(w => w.AccountId == accountId), u => u.WorkflowId, w => w.Id, (u, w) => new { u.KeyId, w.Name })
            .ToListAsync(cancellationToken);
        // The last spend figures kept for the account's keys (numbers and their date; no vault needed), set against the
        // key's cap by the dashboard's rule.
        var caps = keys.ToDictionary(k => k.Id, k => (k.MonthlyCapUsd, k.ProviderId));
        var spent = (await db.KeySpends.AsNoTracking().Where(s => s.AccountId == accountId).ToListAsync(cancellationToken))
            .Where(s => caps.ContainsKey(s.KeyId))
            .ToDictionary(s => s.KeyId, s => InventorySpend.From(SpendStanding.From(s, "", "", default, caps[s.KeyId].MonthlyCapUsd, caps[s.KeyId].ProviderId)));
        var workflowsByKey = uses.GroupBy(u => u.KeyId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(u => u.Name).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList());

        var today = RotationSchedule.DayOf(time.GetUtcNow(), timeZone);
        var all = keys.Select(k => new InventoryRow(
                k.Id,
                k.ProviderName,
                k.Environment,
                k.Label,
                k.Hint,
                k.MonthlyCapUsd,
                k.CapSetAtProvider,
                workflowsByKey.GetValueOrDefault(k.Id, []),
                RotationSchedule.DayOf(k.IssuedAt ?? k.CreatedAt, timeZone),
                k.RotatedInAt is { } rotated ? RotationSchedule.DayOf(rotated, timeZone) : null,
                k.DueOn,
                k.CompromisedAt is not null && k.Status is KeyStatus.Current or KeyStatus.Compromised ? ReportStatus.Compromised : ToReportStatus(k.Status),
                spent.GetValueOrDefault(k.Id),
                k.IsManagementKey))
            .ToList();

        var rows = all
            .OrderBy(r => r.Provider, StringComparer.OrdinalIgnoreCase)
            .ThenBy(r => r.Environment)
            .ThenBy(r => r.Status)
            .ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return new InventoryReport(account, time.GetUtcNow(), today, InventoryFilter.All, Summarise(all, today, keys.Select(k => (k.ProviderId, k.ProviderName)).ToList()), rows)
        {
            Providers = [.. rows.Select(r => r.Provider).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)],
        };
    }

    private static ReportStatus ToReportStatus(KeyStatus status) => status switch
    {
        KeyStatus.Current => ReportStatus.Current,
        KeyStatus.Pending => ReportStatus.Pending,
        KeyStatus.Previous => ReportStatus.Previous,
        KeyStatus.Retired => ReportStatus.Retired,
        _ => ReportStatus.Compromised,
    };

    private static bool Matches(InventoryRow row, InventoryFilter filter, DateOnly today) =>
        (filter.Environment is not { } environment || row.Environment == environment)
        && (string.IsNullOrWhiteSpace(filter.Provider) || string.Equals(row.Provider, filter.Provider.Trim(), StringComparison.OrdinalIgnoreCase))
        && (filter.Status is not { } status || row.Status == status)
        && (filter.DueWithinDays is not { } days || (row.NextDue is { } due && RotationSchedule.DaysLeft(due, today) <= days));

    private static InventorySummary Summarise(IReadOnlyList<InventoryRow> rows, DateOnly today, IReadOnlyList<(string? Id, string Name)> providers)
    {
        bool InUse(InventoryRow r) => r.Status is ReportStatus.Current or ReportStatus.Compromised;
        var environments = VaultEnvironments.All.Select(environment =>
        {
            var keys = rows.Where(r => r.Environment == environment && InUse(r)).ToList();
            var overdue = keys.Count(r => r.NextDue is { } due && due < today);
            var dueSoon = keys.Count(r => r.NextDue is { } due && due >= today && RotationSchedule.DaysLeft(due, today) <= InventorySummary.DueSoonDays);
            return new EnvironmentSummary(environment, keys.Count, keys.Sum(r => r.MonthlyCapUsd ?? 0), keys.Count - overdue - dueSoon, dueSoon, overdue);
        }).ToList();

        // A service is missing an environment when it has keys in use but not in every environment,
        // except services that give one key per account (complete with their PROD key).
        var missing = rows.Where(InUse)
            .GroupBy(r => r.Provider, StringComparer.OrdinalIgnoreCase)
            .Select(g =>
            {
                var id = providers.FirstOrDefault(p => string.Equals(p.Name, g.Key, StringComparison.OrdinalIgnoreCase)).Id;
                var single = ProviderCatalog.Shipped.Find(id) is { SupportsMultipleKeys: false };
                var needed = single ? [VaultEnvironment.Prod] : VaultEnvironments.All;
                var absent = needed.Where(e => g.All(r => r.Environment != e)).ToList();
                return absent.Count == 0 ? null : $"{g.Key} ({string.Join(", ", absent.Select(e => e.Code()))})";
            })
            .OfType<string>()
            .Order(StringComparer.OrdinalIgnoreCase)
            .ToList();

        return new InventorySummary(environments, missing, environments.Sum(e => e.Overdue), environments.Sum(e => e.DueSoon));
    }
}
