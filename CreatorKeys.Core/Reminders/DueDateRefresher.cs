using CreatorKeys.Core.Data;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// Runs at start: gives keys stored before rotation policies existed their environment's
/// default, and recomputes due dates when the configured time zone changed since they were
/// saved. Reads only the few columns it needs and writes only the rows that change, and reads none at all when the
/// install says the due dates were computed in this time zone already (<see cref="InstallState"/>): a plain restart
/// does not read every key.
/// </summary>
internal sealed class DueDateRefresher(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    IOptions<RotationOptions> rotation,
    IOptions<ReminderOptions> reminders,
    Checklist.AccountChanges changes,
    ILogger<DueDateRefresher> logger)
{
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var givenDefaults = 0;
        foreach (var environment in Enum.GetValues<VaultEnvironment>())
        {
            var days = RotationSchedule.DefaultDays(environment, rotation.Value);
            givenDefaults += await db.ApiKeys.Where(k => k.RotationDays <= 0 && k.Environment == environment)
                .ExecuteUpdateAsync(set => set.SetProperty(k => k.RotationDays, days), cancellationToken);
        }

        var timeZone = reminders.Value.ResolveTimeZone();
        var computedIn = Marker(timeZone);
        var state = await db.InstallState.SingleOrDefaultAsync(s => s.Id == InstallState.SingleId, cancellationToken);
        if (givenDefaults == 0 && state?.DueDatesComputedIn == computedIn)
        {
            return;
        }

        var rows = await db.ApiKeys.AsNoTracking()
            .Select(k => new { k.Id, k.Status, k.IssuedAt, k.CreatedAt, k.RotationDays, k.DueNowSince, k.CompromisedAt, k.DueOn })
            .ToListAsync(cancellationToken);

        var changed = 0;
        foreach (var group in rows
            .Select(r => (r.Id, r.DueOn, Expected: r.Status == KeyStatus.Current ? RotationSchedule.DueOn(r.IssuedAt, r.CreatedAt, r.RotationDays, RotationSchedule.Earliest(r.DueNowSince, r.CompromisedAt), timeZone) : (DateOnly?)null))
            .Where(r => r.DueOn != r.Expected)
            .GroupBy(r => r.Expected))
        {
            foreach (var chunk in group.Select(r => r.Id).Chunk(500))
            {
                var dueOn = group.Key;
                changed += await db.ApiKeys.Where(k => chunk.Contains(k.Id))
                    .ExecuteUpdateAsync(set => set.SetProperty(k => k.DueOn, dueOn), cancellationToken);
            }
        }

        // Bulk updates pass by the save interceptors: scores kept for the dashboard are recomputed.
        changes.ChangedForEveryone();
        if (changed > 0)
        {
            logger.LogInformation("Due dates recomputed for {Count} key(s) in time zone {TimeZone}.", changed, timeZone.Id);
        }

        if (state is null)
        {
            db.InstallState.Add(new InstallState { DueDatesComputedIn = computedIn });
        }
        else
        {
            state.DueDatesComputedIn = computedIn;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// What a due date depends on beyond the key's own columns: the zone, its offset (a changed "Local" zone keeps its
    /// id), and the version of the due-date rule (raise it when <see cref="RotationSchedule.DueOn"/> changes meaning).
    /// </summary>
    internal static string Marker(TimeZoneInfo timeZone) =>
        FormattableString.Invariant($"{timeZone.Id}|{timeZone.BaseUtcOffset}|{timeZone.SupportsDaylightSavingTime}|rule 1");
}
