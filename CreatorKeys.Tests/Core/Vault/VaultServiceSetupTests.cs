using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>Adding keys with providers and caps, editing and retiring them.</summary>
public sealed class VaultServiceSetupTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private VaultSession _session = default!;

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync();
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AddKey_WithProviderIdAndCap_StoresBothAndUsesTheCatalogName()
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("ignored", VaultEnvironment.Dev, "DEV — ElevenLabs — Created 2026-11-27",
            "sk_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", ProviderId: "elevenlabs", MonthlyCapUsd: 5m, CapSetAtProvider: true), TestAccounts.Origin);

        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
        Assert.Equal(("elevenlabs", "ElevenLabs", 5m, true), (result.Key!.ProviderId, result.Key.ProviderName, result.Key.MonthlyCapUsd, result.Key.CapSetAtProvider));
    }

    [Fact]
    public async Task AddKey_ProviderTypedByName_IsLinkedToTheCatalog()
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("replicate", VaultEnvironment.Dev, "DEV — Replicate — Created 2026-11-27", "r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD"), TestAccounts.Origin);

        Assert.Equal(("replicate", "Replicate"), (result.Key!.ProviderId, result.Key.ProviderName));
    }

    [Fact]
    public async Task AddKey_ValueOfAnotherProvider_AsksFirstThenStoresWhenAccepted()
    {
        var input = new NewKeyInput(null, VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27", "r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", ProviderId: "openai");

        var asked = await _host.Vault.AddKeyAsync(_session, input, TestAccounts.Origin);
        Assert.False(asked.Succeeded);
        Assert.Empty(asked.Errors);
        Assert.Contains("looks like a key from Replicate, not from OpenAI", asked.ShapeWarning, StringComparison.Ordinal);
        Assert.Empty(await _host.Vault.ListKeysAsync(_session.AccountId));

        var stored = await _host.Vault.AddKeyAsync(_session, input, TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(stored.Succeeded);
        Assert.Contains(stored.Warnings, w => w.Contains("Replicate", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("heygen")]
    public async Task AddKey_AnthropicKeyUnderAnotherService_IsQuestioned(string providerId)
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput(null, VaultEnvironment.Dev, "DEV key 2026-11-27",
            "sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0fGH3iJK6lMN9oPQ2r", ProviderId: providerId), TestAccounts.Origin);

        Assert.Contains("looks like a key from Anthropic (Claude)", result.ShapeWarning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0fGH3iJK6lMN9oPQ2r")]
    [InlineData("r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD")]
    public async Task AddKey_KeyPastedAsTheName_IsRefused(string name)
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, name, TestAccounts.NewKeyValue()), TestAccounts.Origin);

        Assert.Contains("looks like the key itself", result.Errors[nameof(NewKeyInput.Label)], StringComparison.Ordinal);
        Assert.Empty(await _host.Vault.ListKeysAsync(_session.AccountId));
    }

    [Fact]
    public async Task AddKey_NameEqualToTheValueOrToAStoredKey_IsRefused()
    {
        var stored = "customsecret-0123456789-abcdefghijkl";
        await _host.AddKeyAsync(_session, stored, VaultEnvironment.Prod, provider: "My tool");
        var value = "anothersecret-9876543210-zyxwvutsrq";

        var sameAsValue = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("My tool", VaultEnvironment.Dev, value, value), TestAccounts.Origin);
        var sameAsStored = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("My tool", VaultEnvironment.Dev, stored, value), TestAccounts.Origin);

        Assert.True(sameAsValue.Errors.ContainsKey(nameof(NewKeyInput.Label)));
        Assert.True(sameAsStored.Errors.ContainsKey(nameof(NewKeyInput.Label)));
        Assert.Single(await _host.Vault.ListKeysAsync(_session.AccountId));
    }

    [Fact]
    public async Task AddKey_IssueDate_IsNowKnownOrUnknown()
    {
        var now = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "a name", TestAccounts.NewKeyValue()), TestAccounts.Origin);
        var known = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "b name", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(_host.Time.GetUtcNow().AddDays(-40))), TestAccounts.Origin);
        var unknown = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "c name", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.NotKnown), TestAccounts.Origin);

        Assert.Equal(0, now.Key!.AgeInDays(_host.Time.GetUtcNow()));
        Assert.Equal(40, known.Key!.AgeInDays(_host.Time.GetUtcNow()));
        Assert.Null(unknown.Key!.AgeInDays(_host.Time.GetUtcNow()));
    }

    [Fact]
    public async Task UpdateCap_ChangesOnlyTheCap_KeepingARenameMadeElsewhere()
    {
        var key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, label: "before");
        await _host.Vault.UpdateKeyAsync(_session.AccountId, key.Id, new EditKeyInput("renamed in another window", null, false), TestAccounts.Origin);

        var result = await _host.Vault.UpdateCapAsync(_session.AccountId, key.Id, 5m, true, TestAccounts.Origin);

        Assert.Equal(("renamed in another window", 5m, true), (result.Key!.Label, result.Key.MonthlyCapUsd, result.Key.CapSetAtProvider));
        Assert.False((await _host.Vault.UpdateCapAsync(_session.AccountId, key.Id, -1m, true, TestAccounts.Origin)).Succeeded);
        Assert.False((await _host.Vault.UpdateCapAsync("someone-else", key.Id, 1m, true, TestAccounts.Origin)).Succeeded);
    }

    [Fact]
    public async Task AddKey_VagueLabel_IsStoredWithAWarning()
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("Runway", VaultEnvironment.Dev, "Key 1", TestAccounts.NewKeyValue("key_")), TestAccounts.Origin, acceptShapeWarning: true);

        Assert.Contains("“Key 1” does not say which key this is.", result.Warnings);
    }

    [Fact]
    public async Task AddKey_NegativeCap_RefusedAndNothingStored()
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV key", TestAccounts.NewKeyValue(), MonthlyCapUsd: -1m), TestAccounts.Origin);

        Assert.True(result.Errors.ContainsKey(nameof(NewKeyInput.MonthlyCapUsd)));
        Assert.Empty(await _host.Vault.ListKeysAsync(_session.AccountId));
    }

    [Fact]
    public async Task AddKey_CapTickedWithoutAmount_IsNotRecordedAsSet()
    {
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV key", TestAccounts.NewKeyValue(), CapSetAtProvider: true), TestAccounts.Origin);

        Assert.False(result.Key!.CapSetAtProvider);
    }

    [Fact]
    public async Task UpdateKey_ChangesNameAndCapAndRecordsIt()
    {
        var key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging);
        _host.Time.Advance(TimeSpan.FromDays(1));

        var result = await _host.Vault.UpdateKeyAsync(_session.AccountId, key.Id, new EditKeyInput(" STAGING — OpenAI — Created 2026-11-27 ", 20m, true), TestAccounts.Origin);

        Assert.Equal(("STAGING — OpenAI — Created 2026-11-27", 20m, true), (result.Key!.Label, result.Key.MonthlyCapUsd, result.Key.CapSetAtProvider));
        Assert.Equal(_host.Time.GetUtcNow(), result.Key.UpdatedAt);
        var entries = await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(_session.AccountId, 10);
        Assert.Contains(entries, e => e.Action == ActivityAction.KeyEdited && e.TargetId == key.Id.ToString());
    }

    [Fact]
    public async Task UpdateKey_BadInputOrOtherAccount_ChangesNothing()
    {
        var key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging, label: "original");

        var empty = await _host.Vault.UpdateKeyAsync(_session.AccountId, key.Id, new EditKeyInput("", 5m, false), TestAccounts.Origin);
        var tooBig = await _host.Vault.UpdateKeyAsync(_session.AccountId, key.Id, new EditKeyInput("fine", 10_000_000m, false), TestAccounts.Origin);
        var stranger = await _host.Vault.UpdateKeyAsync("someone-else", key.Id, new EditKeyInput("stolen", 5m, false), TestAccounts.Origin);

        Assert.False(empty.Succeeded);
        Assert.False(tooBig.Succeeded);
        Assert.False(stranger.Succeeded);
        Assert.Equal("original", Assert.Single(await _host.Vault.ListKeysAsync(_session.AccountId)).Label);
    }

    [Fact]
    public async Task RetireKey_KeepsTheRecordButNotAsCurrent()
    {
        var key = await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue());

        Assert.True(await _host.Vault.RetireKeyAsync(_session.AccountId, key.Id, TestAccounts.Origin));
        Assert.False(await _host.Vault.RetireKeyAsync(_session.AccountId, key.Id, TestAccounts.Origin));

        var stored = Assert.Single(await _host.Vault.ListKeysAsync(_session.AccountId));
        Assert.Equal(KeyStatus.Retired, stored.Status);
    }

    [Fact]
    public async Task FindSameValue_SeesThroughQuotesAndSpaces()
    {
        var value = TestAccounts.NewKeyValue();
        var key = await _host.AddKeyAsync(_session, value);

        Assert.Equal(key.Id, (await _host.Vault.FindSameValueAsync(_session, $" '{value}'\n"))?.Id);
        Assert.Null(await _host.Vault.FindSameValueAsync(_session, TestAccounts.NewKeyValue()));
    }
}
