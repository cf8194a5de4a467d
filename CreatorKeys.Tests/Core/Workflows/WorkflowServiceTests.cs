using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Workflows;

public sealed class WorkflowServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    private WorkflowService Workflows => _host.Services.GetRequiredService<WorkflowService>();

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Save_ThenList_KeepsEverythingAndTheKeysUsed()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);

        var (saved, errors) = await Workflows.SaveAsync(account.Id, null, new WorkflowInput(" Daily avatar ", WorkflowPlatform.Make, VaultEnvironment.Prod,
            "https://eu1.make.com/scenario/123", "Posts at 9am", [new KeyUseInput(key.Id, " OPENAI_KEY_PROD ")]), TestAccounts.Origin);

        Assert.Empty(errors);
        var listed = Assert.Single(await Workflows.ListAsync(account.Id));
        Assert.Equal(("Daily avatar", WorkflowPlatform.Make, "https://eu1.make.com/scenario/123"), (listed.Name, listed.Platform, listed.Location));
        var use = Assert.Single(listed.KeyUses);
        Assert.Equal((key.Id, "OPENAI_KEY_PROD"), (use.KeyId, use.VariableName));
        Assert.Equal(saved!.Id, Assert.Single(await Workflows.UsingKeyAsync(account.Id, key.Id)).Id);
    }

    [Fact]
    public async Task Save_BadInput_ExplainsEachFieldAndStoresNothing()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());

        var (saved, errors) = await Workflows.SaveAsync(account.Id, null, new WorkflowInput("", null, null, new string('x', 501), null,
            [new KeyUseInput(null, "X"), new KeyUseInput(key.Id, "")]), TestAccounts.Origin);

        Assert.Null(saved);
        Assert.Equal(["Environment", "KeyUses[0]", "KeyUses[1]", "Location", "Name", "Platform"], errors.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Empty(await Workflows.ListAsync(account.Id));
    }

    [Fact]
    public async Task Save_WithAnotherAccountsKey_IsRefused()
    {
        var (owner, ownerSession, _) = await _host.SignUpAsync(TestAccounts.Email);
        var (intruder, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        var key = await _host.AddKeyAsync(ownerSession, TestAccounts.NewKeyValue());

        var (saved, errors) = await Workflows.SaveAsync(intruder.Id, null, new WorkflowInput("Mine", WorkflowPlatform.Script, VaultEnvironment.Prod, null, null,
            [new KeyUseInput(key.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);

        Assert.Null(saved);
        Assert.Equal("That key is no longer in your vault.", errors["KeyUses[0]"]);
        Assert.Empty(await Workflows.UsingKeyAsync(owner.Id, key.Id));
    }

    [Fact]
    public async Task Edit_ReplacesKeyUses_OtherAccountCannotEditOrDelete()
    {
        var (owner, session, _) = await _host.SignUpAsync(TestAccounts.Email);
        var (intruder, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        var first = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var second = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var (workflow, _) = await Workflows.SaveAsync(owner.Id, null, new WorkflowInput("Flow", WorkflowPlatform.N8n, VaultEnvironment.Prod, null, null, [new KeyUseInput(first.Id, "A_PROD")]), TestAccounts.Origin);

        var (_, intruderErrors) = await Workflows.SaveAsync(intruder.Id, workflow!.Id, new WorkflowInput("Hijacked", WorkflowPlatform.N8n, VaultEnvironment.Prod, null, null, []), TestAccounts.Origin);
        Assert.False(await Workflows.DeleteAsync(intruder.Id, workflow.Id, TestAccounts.Origin));
        Assert.Null(await Workflows.FindAsync(intruder.Id, workflow.Id));
        await Workflows.SaveAsync(owner.Id, workflow.Id, new WorkflowInput("Flow v2", WorkflowPlatform.N8n, VaultEnvironment.Prod, null, null, [new KeyUseInput(second.Id, "B_PROD")]), TestAccounts.Origin);

        Assert.NotEmpty(intruderErrors);
        var stored = (await Workflows.FindAsync(owner.Id, workflow.Id))!;
        Assert.Equal("Flow v2", stored.Name);
        Assert.Equal(second.Id, Assert.Single(stored.KeyUses).KeyId);
        Assert.Empty(await Workflows.UsingKeyAsync(owner.Id, first.Id));
    }

    [Fact]
    public async Task DeletingAKey_RemovesItFromWorkflows()
    {
        var (account, session, _) = await _host.SignUpAsync();
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        await Workflows.SaveAsync(account.Id, null, new WorkflowInput("Flow", WorkflowPlatform.Zapier, VaultEnvironment.Prod, null, null, [new KeyUseInput(key.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);

        await _host.Vault.DeleteAsync(account.Id, key.Id, TestAccounts.Origin);

        Assert.Empty(Assert.Single(await Workflows.ListAsync(account.Id)).KeyUses);
    }
}
