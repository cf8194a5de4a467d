using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Reminders;

/// <summary>Changes when keys are due: a key's rotation policy, and "finished a test cycle" for DEV or STAGING.</summary>
public sealed class RotationPolicyService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ActivityService activity,
    ReminderNotifier notifier,
    TimeProvider time)
{
    /// <summary>
    /// Sets how many days a key may live (PROD 1–365, DEV/STAGING 1–730). The policy belongs to
    /// the key's slot, so a rotation in progress gives the new key the same one.
    /// </summary>
    public async Task<PolicyResult> SetPolicyAsync(string accountId, Guid keyId, int days, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return PolicyResult.Fail("That key is not in your vault any more.");
        }

        var max = RotationSchedule.MaxDaysFor(key.Environment);
        if (days < RotationSchedule.MinDays || days > max)
        {
            return PolicyResult.Fail($"Choose a number of days from {RotationSchedule.MinDays} to {max}.");
        }

        if (key.Status is not (KeyStatus.Current or KeyStatus.Pending))
        {
            return PolicyResult.Fail("Only a key in use has a replacement schedule.");
        }

        var slot = await db.ApiKeys
            .Where(k => k.AccountId == accountId && k.SlotId == key.SlotId && (k.Status == KeyStatus.Current || k.Status == KeyStatus.Pending))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var version in slot)
        {
            version.RotationDays = days;
            version.UpdatedAt = now;
        }

        activity.Stage(db, accountId, ActivityAction.RotationPolicyChanged, origin, key.Id.ToString(), $"{key.Label}: {CreatorKeys.Core.Text.Wording.Every(days)}", key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return PolicyResult.Ok(key.DueOn, 1);
    }

    /// <summary>
    /// "I finished a test cycle": every DEV (or STAGING) key in use is due from today, so the
    /// keys that saw the testing are replaced before the next cycle starts.
    /// </summary>
    public async Task<PolicyResult> FinishTestCycleAsync(string accountId, VaultEnvironment environment, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (environment == VaultEnvironment.Prod)
        {
            return PolicyResult.Fail("Test cycles are for DEV and STAGING keys; PROD keys follow their schedule.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys
            .Where(k => k.AccountId == accountId && k.Environment == environment && k.Status == KeyStatus.Current)
            .ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return PolicyResult.Fail($"There is no {environment.Code()} key in use to mark.");
        }

        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            key.DueNowSince ??= now;
            key.UpdatedAt = now;
        }

        activity.Stage(db, accountId, ActivityAction.TestCycleFinished, origin, targetName: $"{CreatorKeys.Core.Text.Wording.Count(keys.Count, environment.Code() + " key")} due now", environment: environment);
        await db.SaveChangesAsync(cancellationToken);
        notifier.Notify(accountId);
        return PolicyResult.Ok(null, keys.Count);
    }
}

public sealed record PolicyResult(bool Succeeded, string? Error, DateOnly? DueOn, int KeysChanged)
{
    public static PolicyResult Ok(DateOnly? dueOn, int keysChanged) => new(true, null, dueOn, keysChanged);

    public static PolicyResult Fail(string error) => new(false, error, null, 0);
}
