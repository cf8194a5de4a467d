using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>"Missing in PROD": export names by environment, and what a PROD workflow reads that PROD lacks.</summary>
public sealed class MissingNamesTests
{
    [Fact]
    public async Task GetAsync_ShowsWhichFoldersHaveEachName()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        await AddAsync(host, session, VaultEnvironment.Dev, "OPENAI_API_KEY");
        await AddAsync(host, session, VaultEnvironment.Staging, "OPENAI_API_KEY");
        await AddAsync(host, session, VaultEnvironment.Prod, "OPENAI_API_KEY");
        await AddAsync(host, session, VaultEnvironment.Dev, "ELEVENLABS_API_KEY");
        var retired = await AddAsync(host, session, VaultEnvironment.Prod, "ELEVENLABS_API_KEY");
        Assert.True(await host.Vault.RetireKeyAsync(account.Id, retired.Id, TestAccounts.Origin));
        // No name of its own: its service's default.
        var anthropic = await host.Vault.AddKeyAsync(session, new NewKeyInput("Anthropic", VaultEnvironment.Staging, "STAGING — Anthropic — main", TestAccounts.NewKeyValue("sk-ant-"), "anthropic"), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(anthropic.Succeeded);

        var names = await Service(host).GetAsync(account.Id);

        Assert.Equal(["ANTHROPIC_API_KEY", "ELEVENLABS_API_KEY", "OPENAI_API_KEY"], names.Names.Select(n => n.Name));
        Assert.Equal([VaultEnvironment.Staging], names.Names[0].In);
        Assert.Equal([VaultEnvironment.Dev], names.Names[1].In);
        Assert.Equal(VaultEnvironments.All, names.Names[2].In.Order());
        Assert.Equal([true, true, false], names.Names.Select(n => n.MissingSomewhere));
        Assert.Empty(names.ProdGaps);
    }

    [Fact]
    public async Task GetAsync_AProdWorkflowReadingANamePRODLacks_IsAGap_InWords()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var devKey = await AddAsync(host, session, VaultEnvironment.Dev, "OPENAI_API_KEY");
        var prodKey = await AddAsync(host, session, VaultEnvironment.Prod, "ELEVENLABS_API_KEY");
        await SaveWorkflowAsync(host, account.Id, "Daily short", VaultEnvironment.Prod, devKey.Id, prodKey.Id);
        await SaveWorkflowAsync(host, account.Id, "Test run", VaultEnvironment.Dev, devKey.Id);

        var names = await Service(host).GetAsync(account.Id);

        var gap = Assert.Single(names.ProdGaps);
        Assert.Equal("Workflow “Daily short” runs in PROD and reads OPENAI_API_KEY, but PROD has no key with that name.", gap.Message);
        Assert.Equal(1, names.ProdWorkflowsReadingKeys);

        // Giving the PROD key that name closes the gap.
        await AddAsync(host, session, VaultEnvironment.Prod, "OPENAI_API_KEY");
        Assert.Empty((await Service(host).GetAsync(account.Id)).ProdGaps);
    }

    [Fact]
    public async Task GetAsync_AnotherAccountsKeysAndWorkflows_AreNeverSeen()
    {
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (a, aSession, _) = await host.SignUpAsync("a@example.com");
        var (b, bSession, _) = await host.SignUpAsync("b@example.com");
        var aKey = await AddAsync(host, aSession, VaultEnvironment.Dev, "A_ONLY_KEY");
        await SaveWorkflowAsync(host, a.Id, "A's live flow", VaultEnvironment.Prod, aKey.Id);
        await AddAsync(host, bSession, VaultEnvironment.Prod, "B_ONLY_KEY");

        var seenByB = await Service(host).GetAsync(b.Id);
        var seenByA = await Service(host).GetAsync(a.Id);

        Assert.Equal(["B_ONLY_KEY"], seenByB.Names.Select(n => n.Name));
        Assert.Empty(seenByB.ProdGaps);
        Assert.Equal(["A_ONLY_KEY"], seenByA.Names.Select(n => n.Name));
        Assert.Single(seenByA.ProdGaps);
    }

    [Fact]
    public async Task Checklist_ScoresProdGaps_WithTheCountAndALinkToThePage()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();
        var devKey = await AddAsync(host, session, VaultEnvironment.Dev, "OPENAI_API_KEY");
        var checklists = host.Services.GetRequiredService<SecurityChecklistService>();
        var noWorkflow = Check(await checklists.EvaluateAsync(account.Id));
        Assert.False(noWorkflow.Passed);

        var workflow = await SaveWorkflowAsync(host, account.Id, "Daily short", VaultEnvironment.Prod, devKey.Id);
        var failing = Check(await checklists.EvaluateAsync(account.Id));

        Assert.False(failing.Passed);
        Assert.Equal("vault/names", failing.FixLink);
        Assert.StartsWith("1 name your PROD workflows read has no PROD key:", failing.NextStep, StringComparison.Ordinal);
        Assert.Contains("Workflow “Daily short” runs in PROD and reads OPENAI_API_KEY", failing.NextStep, StringComparison.Ordinal);

        var prodKey = await AddAsync(host, session, VaultEnvironment.Prod, "OPENAI_API_KEY");
        await UpdateWorkflowAsync(host, account.Id, workflow.Id, "Daily short", VaultEnvironment.Prod, prodKey.Id);
        Assert.True(Check(await checklists.EvaluateAsync(account.Id)).Passed);
    }

    private static ChecklistCheck Check(SecurityChecklist checklist) => checklist.Checks.Single(c => c.Id == ChecklistCheckId.ProdNamesHaveKeys);

    private static MissingNamesService Service(CoreHost host) => host.Services.GetRequiredService<MissingNamesService>();

    private static async Task<KeySummary> AddAsync(CoreHost host, VaultSession session, VaultEnvironment environment, string exportName)
    {
        var result = await host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — {exportName} {Guid.NewGuid():N}", TestAccounts.NewKeyValue(), ExportName: exportName), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private static Task<Workflow> SaveWorkflowAsync(CoreHost host, string accountId, string name, VaultEnvironment environment, params Guid[] keyIds) =>
        UpdateWorkflowAsync(host, accountId, null, name, environment, keyIds);

    private static async Task<Workflow> UpdateWorkflowAsync(CoreHost host, string accountId, Guid? workflowId, string name, VaultEnvironment environment, params Guid[] keyIds)
    {
        var (workflow, errors) = await host.Services.GetRequiredService<WorkflowService>().SaveAsync(accountId, workflowId,
            new WorkflowInput(name, WorkflowPlatform.Make, environment, null, null, keyIds.Select((id, i) => new KeyUseInput(id, $"KEY_{i}_{environment.Code()}")).ToList()), TestAccounts.Origin);
        Assert.True(errors.Count == 0, string.Join(" ", errors.Values));
        return workflow!;
    }
}
