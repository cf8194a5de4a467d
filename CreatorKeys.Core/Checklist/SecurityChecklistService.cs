using CreatorKeys.Core.Data;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Text;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Checklist;

/// <summary>
/// Scores a vault from 0 to 100 against the habits that keep API keys safe. Each check is worth
/// a stated number of points, all or nothing, and a failed check says in plain words what to
/// do next and where. A check about keys fails while there are no keys to check.
/// <para>
/// Scoring reads the whole vault (about 60 ms at 10,000 keys), and the dashboard is the page every creator lands
/// on, so a score is kept until something it was computed from changes (<see cref="AccountChanges"/>), the day
/// changes, or <see cref="KeptFor"/> passes (for writes made by another instance).
/// </para>
/// </summary>
public sealed class SecurityChecklistService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    SetupService setup,
    WorkflowService workflows,
    MissingNamesService missingNames,
    IOptions<RotationOptions> rotation,
    IOptions<Reminders.ReminderOptions> reminders,
    AccountChanges changes,
    TimeProvider time)
{
    /// <summary>How long a score is kept at most, even with no change seen in this process.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(2);

    private readonly KeptPerAccount<SecurityChecklist> _kept =
        new(changes, time, KeptFor, now => Reminders.RotationSchedule.DayOf(now, reminders.Value.ResolveTimeZone()));

    public Task<SecurityChecklist> EvaluateAsync(string accountId, CancellationToken cancellationToken = default) =>
        _kept.GetAsync(accountId, ct => ComputeAsync(accountId, ct), cancellationToken);

    private async Task<SecurityChecklist> ComputeAsync(string accountId, CancellationToken cancellationToken)
    {
        var overview = await setup.GetOverviewAsync(accountId, cancellationToken);
        var budget = await setup.GetMonthlyBudgetAsync(accountId, cancellationToken);
        var recorded = await workflows.ListAsync(accountId, cancellationToken);
        var names = await missingNames.GetAsync(accountId, cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var kitSaved = await db.Users.Where(a => a.Id == accountId).Select(a => a.Vault.EmergencyKitSavedAt).SingleOrDefaultAsync(cancellationToken) is not null;
        return Evaluate(overview, budget, kitSaved, rotation.Value, time.GetUtcNow(), recorded, reminders.Value.ResolveTimeZone(), names);
    }

    /// <summary>
    /// The checks, from facts already loaded; pure, so every rule is easy to test. <paramref name="names"/>: the export
    /// names by environment (<see cref="MissingNamesService"/>); when not given, no PROD workflow is taken to lack a name.
    /// </summary>
    public static SecurityChecklist Evaluate(SetupOverview overview, decimal? budget, bool emergencyKitSaved, RotationOptions rotation, DateTimeOffset now, IReadOnlyList<Workflow>? workflows = null, TimeZoneInfo? timeZone = null, NamesByEnvironment? names = null)
    {
        timeZone ??= TimeZoneInfo.Utc;
        var today = Reminders.RotationSchedule.DayOf(now, timeZone);
        workflows ??= [];
        var keys = overview.Keys.Where(k => k.IsCurrent).ToList();
        var checks = new List<ChecklistCheck>();
        const string NoKeys = "Nothing to check yet: add your keys first.";

        // 1. Three separate keys per provider.
        // Audited providers, plus any provider that has keys without having been audited.
        var audited = overview.Providers;
        var coverage = audited
            .Select(p => (p.Provider.Name, Missing: p.Missing.Select(s => s.Environment)))
            .Concat(keys.Where(k => !audited.Any(p => SetupService.BelongsTo(k, p.Provider)))
                .GroupBy(k => k.ProviderName, StringComparer.OrdinalIgnoreCase)
                .Select(g => (Name: g.Key, Missing: VaultEnvironments.All.Where(e => g.All(k => k.Environment != e)))));
        var missingNames = coverage.Where(c => c.Missing.Any())
            .Select(c => $"{c.Name} ({string.Join(", ", c.Missing.Select(e => e.Code()))})")
            .ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.ThreeKeysPerProvider,
            "Every service has its own DEV, STAGING and PROD key",
            25,
            (audited.Count > 0 || keys.Count > 0) && missingNames.Count == 0,
            audited.Count == 0 && keys.Count == 0
                ? "List the services you pay for, then add a key for each environment."
                : $"Add the missing keys: {string.Join("; ", missingNames)}. With one key per environment, a leaked test key cannot touch your live work.",
            "setup"));

        // 2. Caps on test keys.
        var uncapped = keys.Where(k => k.Environment != VaultEnvironment.Prod && k.MonthlyCapUsd is null).ToList();
        var testKeys = keys.Count(k => k.Environment != VaultEnvironment.Prod);
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.TestKeysCapped,
            "DEV and STAGING keys have a spend cap",
            15,
            testKeys > 0 && uncapped.Count == 0,
            testKeys == 0 ? NoKeys : $"Set a monthly cap on {Names(uncapped)}. A spend cap is a limit at the provider, so a leaked test key can only spend a little.",
            "setup?step=caps"));

        // 3. Caps set at the provider, not only written down here.
        var capped = keys.Where(k => k.MonthlyCapUsd is not null).ToList();
        var notConfirmed = capped.Where(k => !k.CapSetAtProvider).ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.CapsSetAtProvider,
            "Each cap is also set at the provider",
            5,
            capped.Count > 0 && notConfirmed.Count == 0,
            capped.Count == 0 ? "Record a spend cap first." : $"Set the cap at the provider and tick “I set this cap at the provider” for {Names(notConfirmed)}.",
            "setup?step=caps"));

        // 4. Caps grow from DEV to PROD.
        var capWarnings = CapRules.Check(keys, budget);
        var outOfOrder = capWarnings.Where(w => w.Kind == CapWarningKind.OutOfOrder).ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.CapsInOrder,
            "Caps grow from DEV to STAGING to PROD",
            5,
            capped.Count > 0 && outOfOrder.Count == 0,
            capped.Count == 0 ? "Record a spend cap first." : string.Join(" ", outOfOrder.Select(w => w.Message)),
            "setup?step=caps"));

        // 5. PROD caps fit the budget: every PROD key capped (an uncapped one could spend anything) and the total within it.
        var overBudget = capWarnings.FirstOrDefault(w => w.Kind == CapWarningKind.OverBudget);
        var prodKeys = keys.Where(k => k.Environment == VaultEnvironment.Prod).ToList();
        var uncappedProd = prodKeys.Where(k => k.MonthlyCapUsd is null).ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.WithinBudget,
            "PROD caps fit your monthly budget",
            5,
            budget is not null && prodKeys.Count > 0 && uncappedProd.Count == 0 && overBudget is null,
            budget is null ? "Write down what you can spend a month on your live workflows, so CreatorKeys can check your PROD caps against it."
                : prodKeys.Count == 0 ? "Add your PROD keys and their caps."
                : uncappedProd.Count > 0 ? $"Set a cap on {Names(uncappedProd)}: without one, a PROD key can spend past your budget."
                : overBudget?.Message ?? "Your PROD caps fit your budget.",
            "setup?step=caps"));

        // 6. Clear names.
        var vague = keys.Where(k => LabelRules.IsVague(k.Label)).ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.ClearNames,
            "Every key has a clear name",
            10,
            keys.Count > 0 && vague.Count == 0,
            keys.Count == 0 ? NoKeys : $"Rename {Names(vague)} using the pattern “PROD — OpenAI — Created 2026-11-23”, so you can find each key at its provider.",
            "vault"));

        // 7. Nothing past its due date (its own schedule, or a finished test cycle); a key of unknown age (imported) counts as due.
        var tooOld = keys.Where(k => k.IssuedAt is null || DueOn(k) < today).ToList();
        var unknownAge = tooOld.Count(k => k.IssuedAt is null);
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.NothingOverdue,
            "No key is older than its rotation schedule",
            10,
            keys.Count > 0 && tooOld.Count == 0,
            keys.Count == 0 ? NoKeys
                : $"Replace {Names(tooOld)}: {(tooOld.Count == 1 ? "it is" : "they are")} past {(tooOld.Count == 1 ? "its" : "their")} replacement date" +
                  (unknownAge > 0 ? ", and a key whose creation date is unknown (imported from a file) is best replaced now." : "."),
            "rotation"));

        DateOnly DueOn(KeySummary key) => key.DueOn ?? Reminders.RotationSchedule.DueOn(
            key.IssuedAt, key.CreatedAt, key.RotationDays > 0 ? key.RotationDays : rotation.DaysFor(key.Environment), Reminders.RotationSchedule.Earliest(key.DueNowSince, key.CompromisedAt), timeZone);

        // 8. The way back in.
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.EmergencyKitSaved,
            "Your emergency kit is saved",
            5,
            emergencyKitSaved,
            "Save your emergency kit: without it, a forgotten password loses every key value.",
            "account/emergency-kit"));

        // 9 and 10. Workflows: every key in use somewhere recorded, and used the right way.
        var issues = WorkflowChecks.Check(workflows, overview.Keys);
        var unused = issues.Where(i => i.Kind == WorkflowIssueKind.UnusedKey).ToList();
        var unusedIds = unused.Select(u => u.KeyId).ToHashSet();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.WorkflowsDocumented,
            "Every key's workflows are recorded",
            10,
            keys.Count > 0 && unused.Count == 0,
            keys.Count == 0 ? NoKeys : $"Record which workflow uses {Names(keys.Where(k => unusedIds.Contains(k.Id)).ToList())}. When you replace a key, this list is what makes sure no place is forgotten.",
            "workflows"));

        var misuse = issues.Where(i => i.Kind != WorkflowIssueKind.UnusedKey).ToList();
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.WorkflowsUseRightKeys,
            "Workflows use the right key for their environment",
            5,
            workflows.Count > 0 && misuse.Count == 0,
            workflows.Count == 0 ? "Record your workflows first: which automation uses which key." : string.Join(" ", misuse.Take(3).Select(i => i.Message)) + (misuse.Count > 3 ? $" And {misuse.Count - 3} more." : ""),
            "workflows"));

        // 11. What breaks a launch: a PROD workflow reads a name PROD has no key under (issue 22).
        var prodWorkflows = workflows.Count(w => w.Environment == VaultEnvironment.Prod && w.KeyUses.Count > 0);
        var gaps = names?.ProdGaps ?? [];
        checks.Add(new ChecklistCheck(
            ChecklistCheckId.ProdNamesHaveKeys,
            "Every name your PROD workflows read has a PROD key",
            5,
            prodWorkflows > 0 && gaps.Count == 0,
            prodWorkflows == 0 ? "Record your live (PROD) workflows and the keys they use, so CreatorKeys can check PROD has every one."
                : $"{Wording.Count(gaps.Count, "name")} your PROD workflows read {(gaps.Count == 1 ? "has" : "have")} no PROD key: " +
                  string.Join(" ", gaps.Take(2).Select(g => g.Message)) + (gaps.Count > 2 ? $" And {gaps.Count - 2} more." : "") +
                  " Add the PROD key, or give the PROD key the name the workflow reads.",
            "vault/names"));

        var counts = VaultEnvironments.All.ToDictionary(e => e, e => keys.Count(k => k.Environment == e));
        return new SecurityChecklist(checks, counts, DashboardFigures.From(keys, budget, today, DueOn));
    }

    private static string Names(List<KeySummary> keys)
    {
        var names = keys.Take(3).Select(k => $"“{k.Label}”").ToList();
        return keys.Count > 3 ? $"{string.Join(", ", names)} and {keys.Count - 3} more" : string.Join(", ", names);
    }
}

public enum ChecklistCheckId
{
    ThreeKeysPerProvider,
    TestKeysCapped,
    CapsSetAtProvider,
    CapsInOrder,
    WithinBudget,
    ClearNames,
    NothingOverdue,
    EmergencyKitSaved,
    WorkflowsDocumented,
    WorkflowsUseRightKeys,
    ProdNamesHaveKeys,
}

/// <summary>One habit: its title, its worth in points, whether the vault has it, and what to do if not.</summary>
public sealed record ChecklistCheck(ChecklistCheckId Id, string Title, int Points, bool Passed, string NextStep, string FixLink);

/// <summary>The checks, the keys in use per folder and, from the same facts, the numbers the dashboard draws.</summary>
public sealed record SecurityChecklist(IReadOnlyList<ChecklistCheck> Checks, IReadOnlyDictionary<VaultEnvironment, int> KeysPerEnvironment, DashboardFigures? Figures = null)
{
    public int Score => Checks.Where(c => c.Passed).Sum(c => c.Points);

    public int MaximumScore => Checks.Sum(c => c.Points);

    public IEnumerable<ChecklistCheck> Failed => Checks.Where(c => !c.Passed).OrderByDescending(c => c.Points);
}
