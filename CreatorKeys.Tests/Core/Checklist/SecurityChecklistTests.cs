using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Checklist;

public sealed class SecurityChecklistTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly RotationOptions Rotation = new();

    [Fact]
    public void Evaluate_EmptyVault_ScoresOnlyTheKitAndSaysWhereToStart()
    {
        var checklist = Evaluate([], [], budget: null, kitSaved: true);

        Assert.Equal(5, checklist.Score);
        Assert.Equal(100, checklist.Checks.Sum(c => c.Points));
        Assert.Equal(100, checklist.MaximumScore);
        var first = checklist.Failed.First();
        Assert.Equal(ChecklistCheckId.ThreeKeysPerProvider, first.Id);
        Assert.Contains("List the services you pay for", first.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_PerfectVault_Scores100()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100).Concat(ThreeKeys("Runway", 5, 20, 100)).ToList();

        var checklist = Evaluate(keys, [], budget: 500, kitSaved: true, WorkflowsFor(keys));

        Assert.Equal(100, checklist.Score);
        Assert.Empty(checklist.Failed);
        Assert.Equal(2, checklist.KeysPerEnvironment[VaultEnvironment.Prod]);
    }

    [Fact]
    public void Evaluate_EachFailingHabit_CostsItsStatedPoints()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100).ToList();
        var perfect = Evaluate(keys, [], budget: 500, kitSaved: true).Score;

        Assert.Equal(100, perfect);
        Assert.Equal(perfect - 25, Evaluate(keys.Where(k => k.Environment != VaultEnvironment.Staging).ToList(), [], 500, true).Score);
        Assert.Equal(perfect - 15, Evaluate(Replace(keys, 0, k => k with { MonthlyCapUsd = null }), [], 500, true).Score);
        Assert.Equal(perfect - 5, Evaluate(Replace(keys, 1, k => k with { CapSetAtProvider = false }), [], 500, true).Score);
        Assert.Equal(perfect - 5, Evaluate(Replace(keys, 0, k => k with { MonthlyCapUsd = 50 }), [], 500, true).Score);
        Assert.Equal(perfect - 5, Evaluate(keys, [], 50, true).Score);
        Assert.Equal(perfect - 5, Evaluate(keys, [], null, true).Score);
        Assert.Equal(perfect - 10, Evaluate(Replace(keys, 2, k => k with { Label = "Key 1" }), [], 500, true).Score);
        Assert.Equal(perfect - 10, Evaluate(Replace(keys, 2, k => k with { IssuedAt = Now.AddDays(-91) }), [], 500, true).Score);
        Assert.Equal(perfect - 10, Evaluate(Replace(keys, 0, k => k with { IssuedAt = null }), [], 500, true).Score);
        Assert.Equal(perfect - 5, Evaluate(Replace(keys, 2, k => k with { MonthlyCapUsd = null, CapSetAtProvider = false }), [], 500, true).Score);
        Assert.Equal(perfect - 5, Evaluate(keys, [], 500, false).Score);
        Assert.Equal(perfect - 10, Evaluate(keys, [], 500, true, WorkflowsFor(keys.Skip(1))).Score);
        Assert.Equal(perfect - 5, Evaluate(keys, [], 500, true, WorkflowsFor(keys, variable: "OPENAI_KEY")).Score);
        Assert.Equal(perfect - 5, Evaluate(keys, [], 500, true, WorkflowsFor(keys), new NamesByEnvironment([], [new ProdNameGap(Guid.NewGuid(), "Daily short", "OPENAI_API_KEY")], 1)).Score);
    }

    [Fact]
    public void Evaluate_LiveWorkflowOnATestKey_IsNamedInTheNextStep()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100).ToList();
        var workflows = WorkflowsFor(keys).ToList();
        workflows.Add(new Workflow { Id = Guid.NewGuid(), Name = "Live avatar", Environment = VaultEnvironment.Prod, KeyUses = [new WorkflowKeyUse { KeyId = keys[0].Id, VariableName = "OPENAI_KEY_PROD" }] });

        var check = Evaluate(keys, [], 500, true, workflows).Checks.Single(c => c.Id == ChecklistCheckId.WorkflowsUseRightKeys);

        Assert.False(check.Passed);
        Assert.Contains("“Live avatar” is live (PROD) but uses the DEV key", check.NextStep, StringComparison.Ordinal);
        Assert.Equal("workflows", check.FixLink);
    }

    [Fact]
    public void Evaluate_MissingKeys_NameTheProviderAndEnvironments()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100).Where(k => k.Environment == VaultEnvironment.Prod).ToList();

        var check = Evaluate(keys, [], 500, true).Checks.Single(c => c.Id == ChecklistCheckId.ThreeKeysPerProvider);

        Assert.False(check.Passed);
        Assert.Contains("OpenAI (DEV, STAGING)", check.NextStep, StringComparison.Ordinal);
        Assert.Equal("setup", check.FixLink);
    }

    [Fact]
    public void Evaluate_AuditedProviderWithoutKeys_CountsAsMissing()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100).ToList();
        var runway = ProviderCatalog.Shipped.Find("runway")!;
        var audited = new ProviderSlots(runway, VaultEnvironments.All.Select(e => new KeySlot(e, SlotState.Skipped, null)).ToList());

        var check = Evaluate(keys, [audited], 500, true).Checks.Single(c => c.Id == ChecklistCheckId.ThreeKeysPerProvider);

        Assert.False(check.Passed);
        Assert.Contains("Runway (DEV, STAGING, PROD)", check.NextStep, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_SingleKeyProvider_IsCompleteWithItsProdKey()
    {
        var heygen = ProviderCatalog.Shipped.Find("heygen")!;
        var prod = Key("HeyGen", VaultEnvironment.Prod, 50);
        var slots = new ProviderSlots(heygen, VaultEnvironments.All.Select(e => new KeySlot(e, e == VaultEnvironment.Prod ? SlotState.Stored : SlotState.Skipped, e == VaultEnvironment.Prod ? prod : null)).ToList());

        var check = Evaluate([prod], [slots], 500, true).Checks.Single(c => c.Id == ChecklistCheckId.ThreeKeysPerProvider);

        Assert.False(heygen.SupportsMultipleKeys);
        Assert.True(check.Passed);
    }

    [Fact]
    public void Evaluate_TestKeysAllowedToAge180Days_ProdOnly90()
    {
        var keys = ThreeKeys("OpenAI", 5, 20, 100)
            .Select(k => k with { IssuedAt = Now.AddDays(k.Environment == VaultEnvironment.Prod ? -90 : -180) }).ToList();

        Assert.True(Evaluate(keys, [], 500, true).Checks.Single(c => c.Id == ChecklistCheckId.NothingOverdue).Passed);
    }

    [Fact]
    public void Evaluate_RetiredKeys_DoNotCount()
    {
        var current = ThreeKeys("OpenAI", 5, 20, 100).ToList();
        var keys = current.Append(Key("OpenAI", VaultEnvironment.Dev, null, "Key 1") with { Status = KeyStatus.Retired }).ToList();

        Assert.Equal(100, Evaluate(keys, [], 500, true, WorkflowsFor(current)).Score);
    }

    [Fact]
    public async Task EvaluateAsync_ReadsTheAccountsRealData()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        var before = await checklists.EvaluateAsync(account.Id);

        await host.Services.GetRequiredService<SetupService>().SaveProvidersAsync(account.Id, ["openai"], TestAccounts.Origin);
        foreach (var (environment, cap) in new[] { (VaultEnvironment.Dev, 5m), (VaultEnvironment.Staging, 20m), (VaultEnvironment.Prod, 100m) })
        {
            await host.Vault.AddKeyAsync(session, new NewKeyInput(null, environment, KeyLabels.Suggest(environment, "OpenAI", host.Time.GetUtcNow()), TestAccounts.NewKeyValue(), "openai", cap, true), TestAccounts.Origin);
        }

        var after = await checklists.EvaluateAsync(account.Id);

        Assert.Equal(0, before.Score);
        Assert.Equal(70, after.Score);
        Assert.Equal([ChecklistCheckId.WithinBudget, ChecklistCheckId.EmergencyKitSaved, ChecklistCheckId.WorkflowsDocumented, ChecklistCheckId.WorkflowsUseRightKeys, ChecklistCheckId.ProdNamesHaveKeys], after.Failed.Select(c => c.Id).Order().ToArray());
    }

    private static SecurityChecklist Evaluate(IReadOnlyList<KeySummary> keys, IReadOnlyList<ProviderSlots> audited, decimal? budget, bool kitSaved, IEnumerable<Workflow>? workflows = null, NamesByEnvironment? names = null) =>
        SecurityChecklistService.Evaluate(new SetupOverview(new SetupProgress(), audited, keys, ProviderCatalog.Shipped.Providers), budget, kitSaved, Rotation, Now,
            (workflows ?? WorkflowsFor(keys)).ToList(), names: names);

    /// <summary>One well-formed workflow per key: its environment, and a variable that names it.</summary>
    private static IEnumerable<Workflow> WorkflowsFor(IEnumerable<KeySummary> keys, string? variable = null) =>
        keys.Where(k => k.IsCurrent).Select(k => new Workflow
        {
            Id = Guid.NewGuid(),
            Name = $"{k.ProviderName} {k.Environment.Code()} flow",
            Environment = k.Environment,
            KeyUses = [new WorkflowKeyUse { KeyId = k.Id, VariableName = variable ?? $"{k.ProviderName.ToUpperInvariant()}_KEY_{k.Environment.Code()}" }],
        });

    private static IEnumerable<KeySummary> ThreeKeys(string provider, decimal dev, decimal staging, decimal prod)
    {
        yield return Key(provider, VaultEnvironment.Dev, dev);
        yield return Key(provider, VaultEnvironment.Staging, staging);
        yield return Key(provider, VaultEnvironment.Prod, prod);
    }

    private static KeySummary Key(string provider, VaultEnvironment environment, decimal? cap, string? label = null) =>
        new(Guid.NewGuid(), null, provider, environment, label ?? KeyLabels.Suggest(environment, provider, Now), "…", cap, cap is not null, KeyStatus.Current, Now.AddDays(-10), Now.AddDays(-10), Now.AddDays(-10));

    private static List<KeySummary> Replace(List<KeySummary> keys, int index, Func<KeySummary, KeySummary> change) =>
        keys.Select((k, i) => i == index ? change(k) : k).ToList();
}
