using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Validation;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Rotation;

/// <summary>
/// The rotation state machine. Every transition is one database write, checked against the
/// saved state, so a rotation can be resumed at any step after a restart, and no step can be
/// skipped: the old key is retired only when every workflow that used it was updated and
/// tested (or, for a suspected leak, when the creator types the key's name to override).
/// </summary>
public sealed class RotationService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    VaultService vault,
    ActivityService activity,
    Leaks.KeyInTextGuard keyGuard,
    IOptions<Reminders.ReminderOptions> reminderOptions,
    TimeProvider time)
{
    /// <summary>
    /// Starts a rotation of a key in use, or returns the one already running for it: there is
    /// never more than one, even when two windows press Start at the same moment.
    /// </summary>
    public async Task<RotationOutcome> StartAsync(string accountId, Guid keyId, RotationReason reason, string? note, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if ((note?.Trim().Length ?? 0) > KeyRotation.MaxNoteLength)
        {
            return RotationOutcome.Refused($"Keep the note under {KeyRotation.MaxNoteLength} characters.");
        }

        if (TextRules.ParagraphProblem(note ?? "") is { } noteProblem)
        {
            return RotationOutcome.Refused(noteProblem);
        }

        if ((await keyGuard.CheckAsync(accountId, [new("Note", note)], cancellationToken)).Count > 0)
        {
            return RotationOutcome.Refused(Leaks.KeyInTextGuard.Message);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
        if (key is null)
        {
            return RotationOutcome.Refused("That key is no longer in your vault.");
        }

        if (await FindActiveAsync(db, accountId, keyId, cancellationToken) is { } running)
        {
            return await EscalateIfLeakAsync(db, running, reason, origin, cancellationToken);
        }

        if (key.Status != KeyStatus.Current)
        {
            return RotationOutcome.Refused("Only a key in use can be rotated; this one is already replaced or retired.");
        }

        var now = time.GetUtcNow();
        var rotation = new KeyRotation
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            SlotId = key.SlotId,
            OldKeyId = key.Id,
            Reason = reason,
            Urgent = reason == RotationReason.SuspectedLeak,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
            Step = RotationStep.NewKey,
            IsActive = true,
            StartedAt = now,
            UpdatedAt = now,
        };
        db.Rotations.Add(rotation);
        activity.Stage(db, accountId, ActivityAction.RotationStarted, origin, key.Id.ToString(), $"{key.Label}: {reason.Describe()}", key.Environment);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
        {
            // Another request started a rotation of this key a moment ago: use that one.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var winner = await FindActiveAsync(fresh, accountId, keyId, cancellationToken) ?? throw new InvalidOperationException("A rotation clashed but none is running.", ex);
            return RotationOutcome.Ok(winner);
        }

        return RotationOutcome.Ok(rotation);
    }

    /// <summary>Marks a key as leaked (or possibly leaked) and starts, or escalates, its urgent rotation.</summary>
    public async Task<RotationOutcome> MarkCompromisedAsync(string accountId, Guid keyId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId && k.AccountId == accountId, cancellationToken);
            if (key is null)
            {
                return RotationOutcome.Refused("That key is no longer in your vault.");
            }

            if (key.CompromisedAt is null)
            {
                key.CompromisedAt = time.GetUtcNow();
                activity.Stage(db, accountId, ActivityAction.KeyMarkedCompromised, origin, key.Id.ToString(), key.Label, key.Environment);
                await db.SaveChangesAsync(cancellationToken);
            }

            if (key.Status != KeyStatus.Current)
            {
                return RotationOutcome.Refused("This key is marked as compromised. It is no longer in use, so there is nothing to rotate: delete it at the provider.");
            }
        }

        return await StartAsync(accountId, keyId, RotationReason.SuspectedLeak, null, origin, cancellationToken);
    }

    /// <summary>A rotation of the account, with its checklist brought in line with the workflows recorded now.</summary>
    public async Task<KeyRotation?> GetAsync(string accountId, Guid rotationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null)
        {
            return null;
        }

        if (rotation.Step == RotationStep.UpdateWorkflows && await SyncTasksAsync(db, rotation, cancellationToken))
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return rotation;
    }

    public async Task<IReadOnlyList<KeyRotation>> ListActiveAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Rotations.AsNoTracking().Include(r => r.Tasks)
            .Where(r => r.AccountId == accountId && r.IsActive)
            .OrderByDescending(r => r.Urgent).ThenBy(r => r.StartedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Every rotation of a key slot, newest first, for the key's history.</summary>
    public async Task<IReadOnlyList<KeyRotation>> HistoryAsync(string accountId, Guid slotId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Rotations.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.SlotId == slotId)
            .OrderByDescending(r => r.StartedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Step 1: stores the new key as <em>pending</em> beside the old, still current one, and lists
    /// every workflow that used the old key.
    /// </summary>
    public async Task<(RotationOutcome Outcome, KeyChangeResult? Key)> AddNewKeyAsync(
        VaultSession session, Guid rotationId, string? label, string? value, RequestOrigin origin, bool acceptShapeWarning = false, CancellationToken cancellationToken = default) =>
        await AddNewKeyAsync(session, rotationId, label, value, origin, acceptShapeWarning, created: null, cancellationToken);

    /// <summary>Step 1 for a key created through the provider's API: its provider id is stored with it and the "creating" marker cleared in the same write.</summary>
    internal async Task<(RotationOutcome Outcome, KeyChangeResult? Key)> AddNewKeyAsync(
        VaultSession session, Guid rotationId, string? label, string? value, RequestOrigin origin, bool acceptShapeWarning, Providers.Connections.ProviderKeyCreated? created, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == session.AccountId, cancellationToken);
        if (rotation is null || rotation.Step != RotationStep.NewKey)
        {
            return (Stale(rotation), null);
        }

        var old = await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == rotation.OldKeyId, cancellationToken);
        var input = new NewKeyInput(old.ProviderName, old.Environment, label, value, old.ProviderId, old.MonthlyCapUsd, CapSetAtProvider: false, IsManagementKey: old.IsManagementKey)
        {
            // A key pasted by hand keeps the old key's project (OpenAI: chosen once per key); its own id is typed on its page.
            ProviderKeyId = created?.KeyId,
            ProviderProjectId = created is null ? old.ProviderProjectId : created.ProjectId,
        };
        var added = await vault.AddKeyVersionAsync(session, input, old.SlotId, origin, acceptShapeWarning, cancellationToken);
        if (!added.Succeeded)
        {
            return (RotationOutcome.Ok(rotation), added);
        }

        rotation.NewKeyId = added.Key!.Id;
        rotation.Step = RotationStep.UpdateWorkflows;
        if (created is not null)
        {
            // The key made at the provider is now in the vault: it is no longer an orphan.
            rotation.ProviderCreateStartedAt = null;
            rotation.ProviderCreateName = null;
            rotation.ProviderCreatedKeyId = null;
            rotation.ProviderCreatedProjectId = null;
        }

        rotation.UpdatedAt = time.GetUtcNow();
        await SyncTasksAsync(db, rotation, cancellationToken);
        activity.Stage(db, session.AccountId, ActivityAction.RotationNewKeyAdded, origin, added.Key.Id.ToString(), added.Key.Label, added.Key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return (RotationOutcome.Ok(rotation), added);
    }

    /// <summary>Step 2: ticks (or unticks) "updated to the new key" for one workflow. Unticking also unticks "tested".</summary>
    public Task<RotationOutcome> SetUpdatedAsync(string accountId, Guid rotationId, Guid taskId, bool updated, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        ChangeTaskAsync(accountId, rotationId, taskId, origin, (task, now) =>
        {
            task.UpdatedAt = updated ? task.UpdatedAt ?? now : null;
            task.TestedAt = updated ? task.TestedAt : null;
            return updated ? ActivityAction.RotationWorkflowUpdated : null;
        }, cancellationToken);

    /// <summary>Step 2: ticks (or unticks) "tested and working" for one workflow; only once it was updated.</summary>
    public Task<RotationOutcome> SetTestedAsync(string accountId, Guid rotationId, Guid taskId, bool tested, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        ChangeTaskAsync(accountId, rotationId, taskId, origin, (task, now) =>
        {
            if (tested && !task.IsUpdated)
            {
                throw new RotationRefusedException($"Update “{task.WorkflowName}” to the new key first, then test it.");
            }

            task.TestedAt = tested ? task.TestedAt ?? now : null;
            return tested ? ActivityAction.RotationWorkflowTested : null;
        }, cancellationToken);

    /// <summary>Moves from the checklist to the retire step; refused while a workflow is untested, unless urgent.</summary>
    public async Task<RotationOutcome> ContinueToRetireAsync(string accountId, Guid rotationId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null || rotation.Step != RotationStep.UpdateWorkflows)
        {
            return Stale(rotation);
        }

        await SyncTasksAsync(db, rotation, cancellationToken);
        if (Untested(rotation) is { } untested && !rotation.Urgent)
        {
            return RotationOutcome.Refused(untested);
        }

        rotation.Step = RotationStep.RetireOld;
        rotation.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return RotationOutcome.Ok(rotation);
    }

    /// <summary>
    /// Step 3: retires the old key: the workflows that were updated now point at the new key.
    /// Refused while a workflow is untested; for an urgent rotation, typing the old key's name
    /// exactly overrides that, and the override is recorded.
    /// </summary>
    public async Task<RotationOutcome> RetireOldKeyAsync(string accountId, Guid rotationId, string? typedLabelForOverride, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null || rotation.Step is not (RotationStep.UpdateWorkflows or RotationStep.RetireOld))
        {
            return Stale(rotation);
        }

        await SyncTasksAsync(db, rotation, cancellationToken);
        var old = await db.ApiKeys.SingleAsync(k => k.Id == rotation.OldKeyId, cancellationToken);
        if (Untested(rotation) is { } untested)
        {
            if (!rotation.Urgent)
            {
                return RotationOutcome.Refused(untested);
            }

            if (!string.Equals(typedLabelForOverride?.Trim(), old.Label, StringComparison.Ordinal))
            {
                return RotationOutcome.Refused($"{untested} For a leak you may retire the old key now: type its name, “{old.Label}”, exactly.");
            }

            rotation.OverrideUsed = true;
            activity.Stage(db, accountId, ActivityAction.RotationOverrideUsed, origin, old.Id.ToString(), old.Label, old.Environment);
        }

        var now = time.GetUtcNow();
        var updatedWorkflows = rotation.Tasks.Where(t => t.IsUpdated).Select(t => (t.WorkflowId, t.VariableName)).ToHashSet();
        var uses = await db.WorkflowKeyUses.Where(u => u.KeyId == old.Id).ToListAsync(cancellationToken);
        foreach (var use in uses.Where(u => updatedWorkflows.Contains((u.WorkflowId, u.VariableName))))
        {
            use.KeyId = rotation.NewKeyId!.Value;
        }

        rotation.Step = RotationStep.DeleteAtProvider;
        rotation.OldKeyRetiredAt = now;
        rotation.UpdatedAt = now;
        activity.Stage(db, accountId, ActivityAction.RotationOldKeyRetired, origin, old.Id.ToString(), old.Label, old.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return RotationOutcome.Ok(rotation);
    }

    /// <summary>
    /// Step 4, the end: the new key becomes current, the old one previous (kept, still revealable,
    /// until deleted), and the new key's next replacement is due after its rotation policy.
    /// </summary>
    public async Task<RotationOutcome> CompleteAsync(string accountId, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null || rotation.Step != RotationStep.DeleteAtProvider)
        {
            return Stale(rotation);
        }

        var now = time.GetUtcNow();
        var old = await db.ApiKeys.SingleAsync(k => k.Id == rotation.OldKeyId, cancellationToken);
        var fresh = await db.ApiKeys.SingleAsync(k => k.Id == rotation.NewKeyId, cancellationToken);
        old.Status = KeyStatus.Previous;
        old.RetiredAt = rotation.OldKeyRetiredAt;
        old.UpdatedAt = now;
        fresh.Status = KeyStatus.Current;
        fresh.RotatedInAt = now;
        // The policy belongs to the slot: the new key keeps the schedule the old one had.
        fresh.RotationDays = old.RotationDays;
        fresh.UpdatedAt = now;
        rotation.Step = RotationStep.Completed;
        rotation.IsActive = false;
        rotation.CompletedAt = now;
        rotation.UpdatedAt = now;
        var nextDue = Reminders.RotationSchedule.DueOn(fresh.IssuedAt, fresh.CreatedAt, fresh.RotationDays, null, reminderOptions.Value.ResolveTimeZone());
        activity.Stage(db, accountId, ActivityAction.RotationCompleted, origin, fresh.Id.ToString(), $"{fresh.Label}; next due {CreatorKeys.Core.Text.Wording.Day(nextDue)}", fresh.Environment);
        // The old key's reminders are answered: they no longer count as unread.
        foreach (var reminder in await db.Reminders.Where(r => r.ApiKeyId == old.Id && r.ReadAt == null).ToListAsync(cancellationToken))
        {
            reminder.ReadAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return RotationOutcome.Ok(rotation);
    }

    /// <summary>
    /// Cancels a rotation before the old key is retired: the pending key is deleted and
    /// everything else is as it was before the rotation started.
    /// </summary>
    public async Task<RotationOutcome> CancelAsync(string accountId, Guid rotationId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null || !rotation.IsActive)
        {
            return Stale(rotation);
        }

        if (rotation.Step is RotationStep.DeleteAtProvider)
        {
            return RotationOutcome.Refused("The old key is already retired, so this rotation can only be finished, not cancelled.");
        }

        // A key created at the provider but never stored would be forgotten with the rotation, and keep working there.
        if (rotation.HasOrphanAtProvider)
        {
            var provider = await db.ApiKeys.AsNoTracking().Where(k => k.Id == rotation.OldKeyId).Select(k => k.ProviderName).SingleOrDefaultAsync(cancellationToken) ?? "the provider";
            return RotationOutcome.Refused(
                $"Not cancelled: {provider} may still have the key “{rotation.ProviderCreateName}” that CreatorKeys started creating and never stored. " +
                $"Delete it first (CreatorKeys can do it for you, or do it on {provider}'s keys page and say so), then cancel.");
        }

        if (rotation.NewKeyId is { } pendingId && await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == pendingId && k.Status == KeyStatus.Pending, cancellationToken) is { } pending)
        {
            db.ApiKeys.Remove(pending);
        }

        var now = time.GetUtcNow();
        db.RotationTasks.RemoveRange(rotation.Tasks);
        rotation.NewKeyId = null;
        rotation.Step = RotationStep.Cancelled;
        rotation.IsActive = false;
        rotation.CancelledAt = now;
        rotation.UpdatedAt = now;
        activity.Stage(db, accountId, ActivityAction.RotationCancelled, origin, rotation.OldKeyId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        return RotationOutcome.Ok(rotation);
    }

    private async Task<RotationOutcome> ChangeTaskAsync(string accountId, Guid rotationId, Guid taskId, RequestOrigin origin, Func<RotationTask, DateTimeOffset, ActivityAction?> change, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rotation = await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.Id == rotationId && r.AccountId == accountId, cancellationToken);
        if (rotation is null || rotation.Step is not (RotationStep.UpdateWorkflows or RotationStep.RetireOld))
        {
            return Stale(rotation);
        }

        var task = rotation.Tasks.SingleOrDefault(t => t.Id == taskId);
        if (task is null)
        {
            return RotationOutcome.Refused("That workflow is no longer on this checklist.");
        }

        ActivityAction? recorded;
        try
        {
            recorded = change(task, time.GetUtcNow());
        }
        catch (RotationRefusedException refused)
        {
            return RotationOutcome.Refused(refused.Message);
        }

        rotation.UpdatedAt = time.GetUtcNow();
        if (rotation.Step == RotationStep.RetireOld && !task.IsTested && !rotation.Urgent)
        {
            rotation.Step = RotationStep.UpdateWorkflows;
        }

        if (recorded is { } action)
        {
            activity.Stage(db, accountId, action, origin, task.WorkflowId.ToString(), $"{task.WorkflowName} ({task.VariableName})");
        }

        await db.SaveChangesAsync(cancellationToken);
        return RotationOutcome.Ok(rotation);
    }

    /// <summary>
    /// Brings the checklist in line with the registry: a workflow recorded as using the old key
    /// gets a row; a row whose workflow no longer uses it (and was not ticked) goes. True when changed.
    /// </summary>
    private static async Task<bool> SyncTasksAsync(CreatorKeysDbContext db, KeyRotation rotation, CancellationToken cancellationToken)
    {
        var uses = await db.WorkflowKeyUses.AsNoTracking()
            .Where(u => u.KeyId == rotation.OldKeyId)
            .Join(db.Workflows.AsNoTracking(), u => u.WorkflowId, w => w.Id, (u, w) => new { u.WorkflowId, u.VariableName, w.Name })
            .ToListAsync(cancellationToken);
        var changed = false;
        foreach (var use in uses.Where(u => !rotation.Tasks.Any(t => t.WorkflowId == u.WorkflowId && t.VariableName == u.VariableName)))
        {
            var task = new RotationTask { Id = Guid.NewGuid(), RotationId = rotation.Id, WorkflowId = use.WorkflowId, VariableName = use.VariableName, WorkflowName = use.Name };
            rotation.Tasks.Add(task);
            db.RotationTasks.Add(task);
            changed = true;
        }

        foreach (var orphan in rotation.Tasks.Where(t => !t.IsUpdated && !uses.Any(u => u.WorkflowId == t.WorkflowId && u.VariableName == t.VariableName)).ToList())
        {
            rotation.Tasks.Remove(orphan);
            db.RotationTasks.Remove(orphan);
            changed = true;
        }

        return changed;
    }

    private static string? Untested(KeyRotation rotation)
    {
        var open = rotation.Tasks.Where(t => !t.IsTested).Select(t => $"“{t.WorkflowName}”").ToList();
        return open.Count == 0 ? null : $"Not every workflow is updated and tested yet: {string.Join(", ", open)}. Retiring the old key now would break them.";
    }

    private static async Task<KeyRotation?> FindActiveAsync(CreatorKeysDbContext db, string accountId, Guid keyId, CancellationToken cancellationToken) =>
        await db.Rotations.Include(r => r.Tasks).SingleOrDefaultAsync(r => r.AccountId == accountId && r.OldKeyId == keyId && r.IsActive, cancellationToken);

    private async Task<RotationOutcome> EscalateIfLeakAsync(CreatorKeysDbContext db, KeyRotation running, RotationReason reason, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (reason == RotationReason.SuspectedLeak && !running.Urgent)
        {
            running.Urgent = true;
            running.Reason = RotationReason.SuspectedLeak;
            running.UpdatedAt = time.GetUtcNow();
            db.Rotations.Update(running);
            activity.Stage(db, running.AccountId, ActivityAction.RotationStarted, origin, running.OldKeyId.ToString(), "Marked urgent: suspected leak");
            await db.SaveChangesAsync(cancellationToken);
        }

        return RotationOutcome.Ok(running);
    }

    private static RotationOutcome Stale(KeyRotation? rotation) => rotation is null
        ? RotationOutcome.Refused("That rotation is not in your vault.")
        : RotationOutcome.Refused(rotation.Step switch
        {
            RotationStep.Completed => "This rotation is already finished.",
            RotationStep.Cancelled => "This rotation was cancelled.",
            _ => "This rotation has moved on (perhaps in another window). The page now shows where it is.",
        }, rotation);
}

/// <summary>The rotation after a step, or why the step was refused (nothing changed then).</summary>
public sealed record RotationOutcome(KeyRotation? Rotation, string? Error)
{
    public bool Succeeded => Error is null;

    public static RotationOutcome Ok(KeyRotation rotation) => new(rotation, null);

    public static RotationOutcome Refused(string error, KeyRotation? rotation = null) => new(rotation, error);
}

internal sealed class RotationRefusedException(string message) : Exception(message);
