using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Setup;

/// <summary>
/// The guided setup's saved progress (which providers were audited, which key slots were
/// skipped, which step to resume at) and the creator's monthly budget.
/// </summary>
public sealed class SetupService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ProviderService providers,
    VaultService vault,
    ActivityService activity,
    IOptions<SpendCapOptions> capOptions,
    TimeProvider time)
{
    public const int LastStep = 3;

    /// <summary>The saved progress, or a fresh one at step 0 when the creator never started.</summary>
    public async Task<SetupProgress> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SetupProgress.AsNoTracking().SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken)
            ?? new SetupProgress { AccountId = accountId };
    }

    /// <summary>Saves the providers picked in the audit (unknown ids are ignored). Skips of dropped providers are forgotten.</summary>
    public async Task<SetupProgress> SaveProvidersAsync(string accountId, IEnumerable<string> providerIds, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var known = await providers.ListAsync(accountId, cancellationToken);
        var ids = providerIds.Select(id => ProviderService.Resolve(known, id, null)?.Id).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return await ChangeAsync(accountId, origin, progress =>
        {
            progress.ProviderIds = ids;
            progress.SkippedSlots = progress.SkippedSlots.Where(s => ids.Contains(s.Split(':')[0], StringComparer.OrdinalIgnoreCase)).ToList();
        }, cancellationToken);
    }

    /// <summary>Adds or removes one provider from the audit, against what is saved now (two quick ticks both count).</summary>
    public async Task<SetupProgress> SetProviderSelectedAsync(string accountId, string providerId, bool selected, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var known = await providers.ListAsync(accountId, cancellationToken);
        var id = ProviderService.Resolve(known, providerId, null)?.Id;
        return await ChangeAsync(accountId, origin, progress =>
        {
            if (id is null)
            {
                return;
            }

            progress.ProviderIds = selected
                ? progress.ProviderIds.Contains(id, StringComparer.OrdinalIgnoreCase) ? progress.ProviderIds : [.. progress.ProviderIds, id]
                : progress.ProviderIds.Where(p => !string.Equals(p, id, StringComparison.OrdinalIgnoreCase)).ToList();
            progress.SkippedSlots = progress.SkippedSlots.Where(s => progress.ProviderIds.Contains(s.Split(':')[0], StringComparer.OrdinalIgnoreCase)).ToList();
        }, cancellationToken);
    }

    /// <summary>Remembers the step to come back to.</summary>
    public Task<SetupProgress> SaveStepAsync(string accountId, int step, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        ChangeAsync(accountId, origin, progress => progress.Step = Math.Clamp(step, 0, LastStep), cancellationToken, recordActivity: false);

    /// <summary>Marks a key slot as skipped for now (it shows as a gap on the dashboard), or not.</summary>
    public Task<SetupProgress> SetSkippedAsync(string accountId, string providerId, VaultEnvironment environment, bool skipped, RequestOrigin origin, CancellationToken cancellationToken = default) =>
        ChangeAsync(accountId, origin, progress =>
        {
            var slot = SetupProgress.Slot(providerId, environment);
            progress.SkippedSlots.Remove(slot);
            if (skipped)
            {
                progress.SkippedSlots.Add(slot);
            }
        }, cancellationToken, recordActivity: false);

    public async Task<decimal?> GetMonthlyBudgetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Users.Where(a => a.Id == accountId).Select(a => a.MonthlyBudgetUsd).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Sets the creator's monthly budget for all PROD keys; an error message and no change when the amount is not sensible.</summary>
    public async Task<string?> SetMonthlyBudgetAsync(string accountId, decimal? budget, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (CapRules.Validate(budget, capOptions.Value.Maximum, "budget") is { } error)
        {
            return error;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Users.SingleAsync(a => a.Id == accountId, cancellationToken);
        account.MonthlyBudgetUsd = budget;
        activity.Stage(db, accountId, ActivityAction.SetupChanged, origin, targetName: budget is null ? "Monthly budget removed" : $"Monthly budget set to {CapRules.Money(budget.Value)}");
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>
    /// Every audited provider with its three key slots: the current key stored there, or that
    /// it was skipped, or that it is still missing.
    /// </summary>
    public async Task<SetupOverview> GetOverviewAsync(string accountId, CancellationToken cancellationToken = default)
    {
        var progress = await GetAsync(accountId, cancellationToken);
        var known = await providers.ListAsync(accountId, cancellationToken);
        var keys = await vault.ListKeysAsync(accountId, cancellationToken);
        var rows = new List<ProviderSlots>();
        foreach (var id in progress.ProviderIds)
        {
            if (ProviderService.Resolve(known, id, null) is not { } provider)
            {
                continue;
            }

            var slots = VaultEnvironments.All.Select(environment =>
            {
                var key = keys.FirstOrDefault(k => k.IsCurrent && k.Environment == environment && BelongsTo(k, provider));
                var state = key is not null ? SlotState.Stored : progress.IsSkipped(provider.Id, environment) ? SlotState.Skipped : SlotState.Missing;
                return new KeySlot(environment, state, key);
            }).ToList();
            rows.Add(new ProviderSlots(provider, slots));
        }

        return new SetupOverview(progress, rows, keys, known);
    }

    /// <summary>Whether a key belongs to a provider: by id, or by name for keys stored before the catalog.</summary>
    public static bool BelongsTo(KeySummary key, ProviderInfo provider) =>
        key.ProviderId is not null
            ? string.Equals(key.ProviderId, provider.Id, StringComparison.OrdinalIgnoreCase)
            : string.Equals(key.ProviderName, provider.Name, StringComparison.OrdinalIgnoreCase);

    private async Task<SetupProgress> ChangeAsync(string accountId, RequestOrigin origin, Action<SetupProgress> change, CancellationToken cancellationToken, bool recordActivity = true)
    {
        try
        {
            return await TryChangeAsync(accountId, origin, change, recordActivity, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first saves raced to create the row; the other one won, so change that row instead.
            return await TryChangeAsync(accountId, origin, change, recordActivity, cancellationToken);
        }
    }

    private async Task<SetupProgress> TryChangeAsync(string accountId, RequestOrigin origin, Action<SetupProgress> change, bool recordActivity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var progress = await db.SetupProgress.SingleOrDefaultAsync(p => p.AccountId == accountId, cancellationToken);
        if (progress is null)
        {
            progress = new SetupProgress { AccountId = accountId };
            db.SetupProgress.Add(progress);
        }

        change(progress);
        progress.UpdatedAt = time.GetUtcNow();
        if (recordActivity)
        {
            activity.Stage(db, accountId, ActivityAction.SetupChanged, origin, targetName: $"Audited services: {progress.ProviderIds.Count}");
        }

        await db.SaveChangesAsync(cancellationToken);
        return progress;
    }
}

public enum SlotState
{
    Missing,
    Skipped,
    Stored,
}

public sealed record KeySlot(VaultEnvironment Environment, SlotState State, KeySummary? Key);

public sealed record ProviderSlots(ProviderInfo Provider, IReadOnlyList<KeySlot> Slots)
{
    public KeySlot this[VaultEnvironment environment] => Slots.Single(s => s.Environment == environment);

    /// <summary>
    /// The slots that must be filled for this provider to be complete: all three, or only PROD
    /// for a service that gives one key per account (a second account for testing is optional).
    /// </summary>
    public IEnumerable<KeySlot> Required => Provider.SupportsMultipleKeys ? Slots : Slots.Where(s => s.Environment == VaultEnvironment.Prod);

    public IEnumerable<KeySlot> Missing => Required.Where(s => s.State != SlotState.Stored);
}

public sealed record SetupOverview(SetupProgress Progress, IReadOnlyList<ProviderSlots> Providers, IReadOnlyList<KeySummary> Keys, IReadOnlyList<ProviderInfo> AllProviders)
{
    public IEnumerable<KeySlot> Gaps => Providers.SelectMany(p => p.Missing);
}
