using CreatorKeys.Core.Import;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>
/// Two keys of one service and environment never share a name (issue 24): after a same-day replacement the creator
/// must be able to tell the old key from the new one, here and at the provider.
/// </summary>
public sealed class LabelUniquenessTests : IAsyncLifetime
{
    private const string Name = "PROD — OpenAI — Created 2026-12-07";

    private CoreHost _host = default!;
    private VaultSession _session = default!;

    private VaultService Vault => _host.Vault;

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(Name)]
    [InlineData("prod — openai — created 2026-12-07")]
    [InlineData("  PROD —  OpenAI — Created   2026-12-07 ")]
    public async Task AddKey_SameNameSameServiceAndEnvironment_RefusedWithAClearMessageAndNothingStored(string second)
    {
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: Name);

        var result = await Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, second, TestAccounts.NewKeyValue(), "openai"), TestAccounts.Origin);

        Assert.False(result.Succeeded);
        var message = result.Errors[nameof(NewKeyInput.Label)];
        Assert.Contains("Another PROD OpenAI key is already named", message, StringComparison.Ordinal);
        Assert.Contains(" (2)”", message, StringComparison.Ordinal);
        Assert.Single(await Vault.ListKeysAsync(_session.AccountId));
    }

    [Fact]
    public async Task AddKey_SameNameInAnotherEnvironmentOrService_IsStored()
    {
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: "OpenAI — Created 2026-12-07");

        var otherEnvironment = await Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "OpenAI — Created 2026-12-07", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        var otherService = await Vault.AddKeyAsync(_session, new NewKeyInput("Runway", VaultEnvironment.Prod, "OpenAI — Created 2026-12-07", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);

        Assert.True(otherEnvironment.Succeeded, string.Join(" ", otherEnvironment.Errors.Values));
        Assert.True(otherService.Succeeded, string.Join(" ", otherService.Errors.Values));
    }

    [Fact]
    public async Task UpdateKey_ToAnotherKeysName_RefusedAndNothingChanges()
    {
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: Name);
        var other = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: $"{Name} (2)");

        var result = await Vault.UpdateKeyAsync(_session.AccountId, other.Id, new EditKeyInput(Name.ToUpperInvariant(), 50m, false), TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Contains("is already named", result.Errors[nameof(EditKeyInput.Label)], StringComparison.Ordinal);
        var stored = (await Vault.ListKeysAsync(_session.AccountId)).Single(k => k.Id == other.Id);
        Assert.Equal($"{Name} (2)", stored.Label);
        Assert.Null(stored.MonthlyCapUsd);
    }

    [Fact]
    public async Task UpdateKey_KeepingItsOwnName_Saves()
    {
        var key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: Name);

        var result = await Vault.UpdateKeyAsync(_session.AccountId, key.Id, new EditKeyInput(Name, 50m, false), TestAccounts.Origin);

        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
    }

    [Fact]
    public async Task SuggestLabel_AKeyOfTheServiceAlreadyHasTodaysName_AddsACounter()
    {
        var today = KeyLabels.Today(TimeProvider.System);
        var plain = KeyLabels.Suggest(VaultEnvironment.Prod, "OpenAI", today);
        Assert.Equal(plain, await Vault.SuggestLabelAsync(_session.AccountId, VaultEnvironment.Prod, "openai", "OpenAI", today));
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: plain);

        Assert.Equal($"{plain} (2)", await Vault.SuggestLabelAsync(_session.AccountId, VaultEnvironment.Prod, "openai", "OpenAI", today));
        Assert.Equal(KeyLabels.Suggest(VaultEnvironment.Dev, "OpenAI", today), await Vault.SuggestLabelAsync(_session.AccountId, VaultEnvironment.Dev, "openai", "OpenAI", today));
    }

    [Fact]
    public async Task SameDayRotation_TheOldKeysName_IsRefusedAndTheSuggestionDiffers()
    {
        var rotations = _host.Services.GetRequiredService<RotationService>();
        var old = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, label: Name);
        var rotation = (await rotations.StartAsync(_session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;

        var (_, refused) = await rotations.AddNewKeyAsync(_session, rotation.Id, Name, TestAccounts.NewKeyValue(), TestAccounts.Origin, acceptShapeWarning: true);
        var suggested = await Vault.SuggestLabelAsync(_session.AccountId, VaultEnvironment.Prod, old.ProviderId, old.ProviderName, KeyLabels.Today(TimeProvider.System));

        Assert.False(refused!.Succeeded);
        Assert.Equal(RotationStep.NewKey, (await rotations.GetAsync(_session.AccountId, rotation.Id))!.Step);
        Assert.NotEqual(Name, suggested);
        var (outcome, added) = await rotations.AddNewKeyAsync(_session, rotation.Id, KeyLabels.Distinct(Name, [Name]), TestAccounts.NewKeyValue(), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(outcome.Succeeded && added!.Succeeded);
        Assert.Equal($"{Name} (2)", added.Key!.Label);
    }

    [Fact]
    public async Task Import_TwoKeysOfOneServiceAndEnvironment_AreStoredUnderDifferentNames()
    {
        var import = _host.Services.GetRequiredService<ImportService>();
        var preview = await import.PrepareAsync(_session, $"OPENAI_KEY_DEV={TestAccounts.NewKeyValue()}\nOPENAI_API_KEY_DEV={TestAccounts.NewKeyValue()}", VaultEnvironment.Dev);

        var result = await import.ImportAsync(_session, preview.Candidates, TestAccounts.Origin);

        Assert.Empty(result.Refused);
        Assert.Equal(2, result.Stored.Count);
        Assert.False(KeyLabels.Same(result.Stored[0].Label, result.Stored[1].Label));
    }
}
