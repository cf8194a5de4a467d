using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Checklist;

/// <summary>
/// The dashboard's score is kept between visits (scoring reads the whole vault) and must still never be stale:
/// every kind of change it is computed from, the day turning and the time limit each make the next visit
/// compute it again; a visit with nothing changed does not.
/// </summary>
public sealed class ChecklistKeptTests
{
    [Fact]
    public async Task AVisitWithNothingChanged_GetsTheKeptScore_AndAnotherAccountsChangeDoesNotDisturbIt()
    {
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (account, _, _) = await host.SignUpAsync();
        var (_, otherSession, _) = await host.SignUpAsync("other@example.com");
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();

        var first = await checklists.EvaluateAsync(account.Id);
        await host.AddKeyAsync(otherSession, TestAccounts.NewKeyValue());
        var second = await checklists.EvaluateAsync(account.Id);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task AKeyAdded_IsCountedAtTheNextVisit()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        var before = await checklists.EvaluateAsync(account.Id);

        await host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var after = await checklists.EvaluateAsync(account.Id);

        Assert.Equal(0, before.KeysPerEnvironment[VaultEnvironment.Dev]);
        Assert.Equal(1, after.KeysPerEnvironment[VaultEnvironment.Dev]);
    }

    [Fact]
    public async Task AKeyRetired_AndAWorkflowRecorded_AreSeenAtTheNextVisit()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var key = await host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        Assert.False(Check(await checklists.EvaluateAsync(account.Id), ChecklistCheckId.WorkflowsDocumented).Passed);

        var (workflow, errors) = await host.Services.GetRequiredService<WorkflowService>().SaveAsync(account.Id, null,
            new WorkflowInput("Daily avatar", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(key.Id, "OPENAI_API_KEY_PROD")]), TestAccounts.Origin);
        Assert.Empty(errors);
        Assert.NotNull(workflow);
        Assert.True(Check(await checklists.EvaluateAsync(account.Id), ChecklistCheckId.WorkflowsDocumented).Passed);

        Assert.True(await host.Vault.RetireKeyAsync(account.Id, key.Id, TestAccounts.Origin));
        Assert.Equal(0, (await checklists.EvaluateAsync(account.Id)).KeysPerEnvironment[VaultEnvironment.Prod]);
    }

    [Fact]
    public async Task TheEmergencyKitSaved_IsSeenAtTheNextVisit()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        Assert.False(Check(await checklists.EvaluateAsync(account.Id), ChecklistCheckId.EmergencyKitSaved).Passed);

        Assert.True(await host.WithAccountsAsync(a => a.ConfirmEmergencyKitSavedAsync(session, session.PendingRecoveryCode!, TestAccounts.Origin)));

        Assert.True(Check(await checklists.EvaluateAsync(account.Id), ChecklistCheckId.EmergencyKitSaved).Passed);
    }

    [Fact]
    public async Task AKeptScore_IsComputedAgain_AfterItsTimeLimit()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, _, _) = await host.SignUpAsync();
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        var first = await checklists.EvaluateAsync(account.Id);

        host.Time.Advance(SecurityChecklistService.KeptFor - TimeSpan.FromSeconds(1));
        Assert.Same(first, await checklists.EvaluateAsync(account.Id));
        host.Time.Advance(TimeSpan.FromSeconds(1));

        // So a write this process did not see (another instance) is picked up within the limit.
        Assert.NotSame(first, await checklists.EvaluateAsync(account.Id));
    }

    [Fact]
    public async Task TheReportsRows_AreKeptUntilAKeyChanges_AndAFilterPicksFromThem()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var reports = host.Services.GetRequiredService<CreatorKeys.Core.Reports.InventoryReportService>();
        var first = await reports.BuildAsync(account.Id, CreatorKeys.Core.Reports.InventoryFilter.All);
        Assert.Same(first.Rows, (await reports.BuildAsync(account.Id, CreatorKeys.Core.Reports.InventoryFilter.All)).Rows);

        var prod = await host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var after = await reports.BuildAsync(account.Id, CreatorKeys.Core.Reports.InventoryFilter.All);
        var prodOnly = await reports.BuildAsync(account.Id, new CreatorKeys.Core.Reports.InventoryFilter(VaultEnvironment.Prod));

        Assert.Equal(2, after.Rows.Count);
        Assert.Equal(prod.Id, Assert.Single(prodOnly.Rows).KeyId);
        // The summary stays the whole vault's under a filter.
        Assert.Equal(1, prodOnly.Summary.Environments.Single(e => e.Environment == VaultEnvironment.Dev).Keys);
    }

    private static ChecklistCheck Check(SecurityChecklist checklist, ChecklistCheckId id) => checklist.Checks.Single(c => c.Id == id);
}
