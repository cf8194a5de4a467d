using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// Keeps every key's policy and due date right on every save, wherever the key was changed
/// (added by hand, in setup, imported, rotated, edited), so the daily check can select due
/// keys with one indexed query instead of computing dates for the whole vault.
/// </summary>
internal sealed class RotationScheduleInterceptor(IOptions<RotationOptions> rotation, IOptions<ReminderOptions> reminders) : SaveChangesInterceptor
{
    private readonly TimeZoneInfo _timeZone = reminders.Value.ResolveTimeZone();

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Apply(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Apply(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Apply(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<ApiKey>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified))
            {
                continue;
            }

            var key = entry.Entity;
            if (key.RotationDays <= 0)
            {
                key.RotationDays = RotationSchedule.DefaultDays(key.Environment, rotation.Value);
            }

            key.DueOn = RotationSchedule.DueOn(key, _timeZone);
        }
    }
}
