using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Setup;

public sealed class SetupServiceTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    private SetupService Setup => _host.Services.GetRequiredService<SetupService>();

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_NeverStarted_IsStepZeroWithNothingPicked()
    {
        var (account, _, _) = await _host.SignUpAsync();

        var progress = await Setup.GetAsync(account.Id);

        Assert.Equal(0, progress.Step);
        Assert.Empty(progress.ProviderIds);
    }

    [Fact]
    public async Task Progress_IsSavedAndComesBackAfterARestartOfTheServices()
    {
        var (account, _, _) = await _host.SignUpAsync();
        await Setup.SaveProvidersAsync(account.Id, ["elevenlabs", "openai", "no-such-provider"], TestAccounts.Origin);
        await Setup.SetSkippedAsync(account.Id, "openai", VaultEnvironment.Staging, true, TestAccounts.Origin);
        await Setup.SaveStepAsync(account.Id, 2, TestAccounts.Origin);

        var progress = await Setup.GetAsync(account.Id);

        Assert.Equal(["elevenlabs", "openai"], progress.ProviderIds);
        Assert.Equal(2, progress.Step);
        Assert.True(progress.IsSkipped("openai", VaultEnvironment.Staging));
        Assert.False(progress.IsSkipped("openai", VaultEnvironment.Dev));
    }

    [Fact]
    public async Task SetProviderSelected_QuickTicks_AllCount()
    {
        var (account, _, _) = await _host.SignUpAsync();

        await Task.WhenAll(
            Setup.SetProviderSelectedAsync(account.Id, "openai", true, TestAccounts.Origin),
            Setup.SetProviderSelectedAsync(account.Id, "runway", true, TestAccounts.Origin));
        await Setup.SetProviderSelectedAsync(account.Id, "elevenlabs", true, TestAccounts.Origin);
        await Setup.SetProviderSelectedAsync(account.Id, "runway", false, TestAccounts.Origin);

        Assert.Equal(["elevenlabs", "openai"], (await Setup.GetAsync(account.Id)).ProviderIds.Order().ToArray());
    }

    [Fact]
    public async Task SaveProviders_DroppingAProvider_ForgetsItsSkips()
    {
        var (account, _, _) = await _host.SignUpAsync();
        await Setup.SaveProvidersAsync(account.Id, ["openai", "runway"], TestAccounts.Origin);
        await Setup.SetSkippedAsync(account.Id, "runway", VaultEnvironment.Dev, true, TestAccounts.Origin);

        var progress = await Setup.SaveProvidersAsync(account.Id, ["openai"], TestAccounts.Origin);

        Assert.Empty(progress.SkippedSlots);
    }

    [Fact]
    public async Task Overview_ShowsStoredSkippedAndMissingSlotsPerProvider()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await Setup.SaveProvidersAsync(account.Id, ["openai"], TestAccounts.Origin);
        await Setup.SetSkippedAsync(account.Id, "openai", VaultEnvironment.Staging, true, TestAccounts.Origin);
        var prod = await _host.Vault.AddKeyAsync(session, new NewKeyInput(null, VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27", TestAccounts.NewKeyValue(), ProviderId: "openai"), TestAccounts.Origin);

        var overview = await Setup.GetOverviewAsync(account.Id);

        var openai = Assert.Single(overview.Providers);
        Assert.Equal(SlotState.Missing, openai[VaultEnvironment.Dev].State);
        Assert.Equal(SlotState.Skipped, openai[VaultEnvironment.Staging].State);
        Assert.Equal(SlotState.Stored, openai[VaultEnvironment.Prod].State);
        Assert.Equal(prod.Key!.Id, openai[VaultEnvironment.Prod].Key!.Id);
        Assert.Equal(2, overview.Gaps.Count());
    }

    [Fact]
    public async Task Overview_KeyStoredBeforeTheCatalog_IsMatchedByName()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, provider: "openai");
        await Setup.SaveProvidersAsync(account.Id, ["openai"], TestAccounts.Origin);

        var overview = await Setup.GetOverviewAsync(account.Id);

        Assert.Equal(SlotState.Stored, overview.Providers[0][VaultEnvironment.Dev].State);
    }

    [Fact]
    public async Task MonthlyBudget_SetAndRead_BadAmountChangesNothing()
    {
        var (account, _, _) = await _host.SignUpAsync();
        Assert.Null(await Setup.SetMonthlyBudgetAsync(account.Id, 250m, TestAccounts.Origin));

        var error = await Setup.SetMonthlyBudgetAsync(account.Id, -5m, TestAccounts.Origin);

        Assert.Contains("A budget cannot be negative", error, StringComparison.Ordinal);
        Assert.Equal(250m, await Setup.GetMonthlyBudgetAsync(account.Id));
    }
}
