using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Leaks;

/// <summary>Text stored in plain refuses key values: the account's own (by fingerprint) and catalog-shaped ones.</summary>
public sealed class KeyInTextGuardTests : IAsyncLifetime
{
    // Shaped like no catalog provider's key: only the vault's fingerprint can recognise it.
    private const string Unshaped = "zz9Plural-Z-Alpha-0123456789abcdWXYZ";

    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private KeySummary _key = default!;

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
        _key = await _host.AddKeyAsync(_session, Unshaped, label: "PROD — custom — main");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private WorkflowService Workflows => _host.Services.GetRequiredService<WorkflowService>();

    [Theory]
    [InlineData("Name")]
    [InlineData("Location")]
    [InlineData("Notes")]
    [InlineData("KeyUses[0]")]
    public async Task Workflow_AStoredKeyValueInAnyField_IsRefusedThere_AndNothingIsSaved(string field)
    {
        string? Put(string name, string usual) => field == name ? $"{usual} {Unshaped}" : usual;
        var input = new WorkflowInput(Put("Name", "Avatar video"), WorkflowPlatform.Make, VaultEnvironment.Prod, Put("Location", "https://make.com/scenarios/1234567890123456"),
            Put("Notes", "Runs daily at 8"), [new KeyUseInput(_key.Id, field == "KeyUses[0]" ? Unshaped : "OPENAI_API_KEY_PROD")]);

        var (workflow, errors) = await Workflows.SaveAsync(_session.AccountId, null, input, TestAccounts.Origin);

        Assert.Null(workflow);
        Assert.Equal(KeyInTextGuard.Message, errors[field]);
        Assert.Empty(await Workflows.ListAsync(_session.AccountId));
    }

    [Fact]
    public async Task Workflow_ACatalogShapedKeyNotInTheVault_IsRefusedToo()
    {
        var input = new WorkflowInput("Avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod, $"https://hook.example/run?api_key={TestAccounts.NewKeyValue()}",
            null, [new KeyUseInput(_key.Id, "OPENAI_API_KEY_PROD")]);

        var (workflow, errors) = await Workflows.SaveAsync(_session.AccountId, null, input, TestAccounts.Origin);

        Assert.Null(workflow);
        Assert.Equal(KeyInTextGuard.Message, errors[nameof(WorkflowInput.Location)]);
    }

    [Fact]
    public async Task Workflow_OrdinaryAddressesNotesAndVariableNames_AreSaved()
    {
        var input = new WorkflowInput("Avatar video — daily", WorkflowPlatform.Make, VaultEnvironment.Prod, "https://eu1.make.com/123456/scenarios/7890123/edit",
            "Uses the PROD key; rotate after the launch. Ticket ABCD-1234-EFGH-5678.", [new KeyUseInput(_key.Id, "OPENAI_API_KEY_PRODUCTION")]);

        var (workflow, errors) = await Workflows.SaveAsync(_session.AccountId, null, input, TestAccounts.Origin);

        Assert.Empty(errors);
        Assert.NotNull(workflow);
    }

    [Fact]
    public async Task EditKey_NameHoldingAnotherStoredValue_IsRefused_AndTheNameStays()
    {
        var other = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, label: "DEV — OpenAI — main");

        var result = await _host.Vault.UpdateKeyAsync(_session.AccountId, other.Id, new EditKeyInput($"DEV — see {Unshaped}", null, false), TestAccounts.Origin);

        Assert.Equal(KeyInTextGuard.Message, result.Errors[nameof(EditKeyInput.Label)]);
        Assert.Contains(await _host.Vault.ListKeysAsync(_session.AccountId), k => k.Id == other.Id && k.Label == "DEV — OpenAI — main");
    }

    [Fact]
    public async Task RotationNote_HoldingAKey_IsRefused_AndNoRotationStarts()
    {
        var rotations = _host.Services.GetRequiredService<RotationService>();

        var outcome = await rotations.StartAsync(_session.AccountId, _key.Id, RotationReason.SuspectedLeak, $"leaked in chat: {Unshaped}", TestAccounts.Origin);

        Assert.Null(outcome.Rotation);
        Assert.Equal(KeyInTextGuard.Message, outcome.Error);
        Assert.Empty(await rotations.ListActiveAsync(_session.AccountId));
    }
}
