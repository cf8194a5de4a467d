using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CreatorKeys.Core.Checklist;

/// <summary>
/// A change counter per account, moved on every save that touches what the dashboard is computed from, so a
/// result worked out from the whole vault can be kept until the vault really changes. Kept in this process: a
/// creator's writes go through the instance their browser is on; what another instance writes is caught by the
/// cache's short lifetime (<see cref="SecurityChecklistService"/>).
/// </summary>
public sealed class AccountChanges
{
    private readonly ConcurrentDictionary<string, long> _accounts = new(StringComparer.Ordinal);
    private long _everyone;

    /// <summary>The counters that must be unchanged for a result read at this moment to still hold.</summary>
    public (long Everyone, long Account) Stamp(string accountId) =>
        (Interlocked.Read(ref _everyone), _accounts.GetValueOrDefault(accountId));

    public void Changed(string accountId) => _accounts.AddOrUpdate(accountId, 1, (_, n) => n + 1);

    /// <summary>For a change that cannot be pinned to one account (a row with no account, a bulk update).</summary>
    public void ChangedForEveryone() => Interlocked.Increment(ref _everyone);
}

/// <summary>
/// Moves <see cref="AccountChanges"/> for each account a save touches, before the save (a result computed
/// during it is then already stale) and again after (one computed between the two read the old rows). Rows
/// that never feed the dashboard (activity, reminders, mail, two-step, key checks) do not count; a row of any
/// other kind without an account column moves every account's counter, so a new table errs on the safe side.
/// </summary>
internal sealed class AccountChangesInterceptor(AccountChanges changes) : SaveChangesInterceptor
{
    private static readonly HashSet<Type> Unrelated =
    [
        typeof(ActivityEntry), typeof(ActivityCheckpoint), typeof(Reminder), typeof(OutboxMessage), typeof(MailSettingsRecord),
        typeof(TwoStepSecret), typeof(TwoStepRecoveryCode), typeof(KeyCheckRecord), typeof(AccessTokens.AccessToken), typeof(InstallState),
    ];

    private readonly ConditionalWeakTable<DbContext, Touched> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Release(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Release(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var touched = new Touched();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted) || Unrelated.Contains(entry.Metadata.ClrType))
            {
                continue;
            }

            if (entry.Entity is Account account)
            {
                touched.Accounts.Add(account.Id);
            }
            else if ((entry.Metadata.FindProperty("AccountId") ?? entry.Metadata.FindProperty("UserId")) is { } property
                     && entry.Property(property.Name).CurrentValue is string accountId)
            {
                // UserId: Identity's own rows (logins, tokens, claims) belong to the account they name.
                touched.Accounts.Add(accountId);
            }
            else
            {
                touched.Everyone = true;
            }
        }

        if (touched.Everyone || touched.Accounts.Count > 0)
        {
            Move(touched);
            _pending.AddOrUpdate(context, touched);
        }
    }

    private void Release(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var touched))
        {
            _pending.Remove(context);
            Move(touched);
        }
    }

    private void Move(Touched touched)
    {
        if (touched.Everyone)
        {
            changes.ChangedForEveryone();
        }

        foreach (var account in touched.Accounts)
        {
            changes.Changed(account);
        }
    }

    private sealed class Touched
    {
        public HashSet<string> Accounts { get; } = new(StringComparer.Ordinal);

        public bool Everyone { get; set; }
    }
}
