using Bunit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Setup;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Setup;

/// <summary>Each guided-setup step on its own, with the real services and a fake clock.</summary>
public sealed class SetupStepsTests : ComponentTestContext
{
    private SetupService Setup => Services.GetRequiredService<SetupService>();

    private static ProviderInfo OpenAi => ProviderCatalog.Shipped.Find("openai")!;

    [Fact]
    public async Task Audit_TickingAService_SavesTheSelection()
    {
        var changed = 0;
        var step = RenderAudit([], () => changed++);

        step.FindAll("label").Single(l => l.TextContent.Trim() == "ElevenLabs").QuerySelector("input")!.Change(true);

        step.WaitForAssertion(() => Assert.Equal(1, changed));
        Assert.Equal(["elevenlabs"], (await Setup.GetAsync(Session.AccountId)).ProviderIds);
    }

    [Fact]
    public void Audit_Search_ShowsOnlyMatchingServices()
    {
        var step = RenderAudit([], () => { });

        step.Find("input[type='text']").Input("labs");

        step.WaitForAssertion(() => Assert.Contains("ElevenLabs", step.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("OpenAI", step.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Transcription", step.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_AddingAServiceThatIsListed_ExplainsAndAddsNothing()
    {
        var step = RenderAudit([], () => { });

        InputLabelled(step, "Service name").Change("openai");
        step.FindAll("button").Single(b => b.TextContent.Contains("Add this service", StringComparison.Ordinal)).Click();

        step.WaitForAssertion(() => Assert.Contains("OpenAI is already in the list: pick it there instead.", step.Markup, StringComparison.Ordinal));
        Assert.Empty((await Setup.GetAsync(Session.AccountId)).ProviderIds);
    }

    [Fact]
    public async Task Audit_AddingANewService_SelectsIt()
    {
        var step = RenderAudit([], () => { });

        InputLabelled(step, "Service name").Change("Suno");
        step.FindAll("button").Single(b => b.TextContent.Contains("Add this service", StringComparison.Ordinal)).Click();

        await step.WaitForAssertionAsync(async () => Assert.Single((await Setup.GetAsync(Session.AccountId)).ProviderIds));
        var id = (await Setup.GetAsync(Session.AccountId)).ProviderIds.Single();
        Assert.StartsWith("custom-", id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeySlot_EmptyPaste_ExplainsAndStoresNothing()
    {
        var slot = RenderSlot(VaultEnvironment.Dev);

        Click(slot, "Save the DEV OpenAI key");

        slot.WaitForAssertion(() => Assert.Contains("Paste the key itself", slot.Markup, StringComparison.Ordinal));
        Assert.Empty(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task KeySlot_ValueOfAnotherProvider_WarnsFirstThenSavesOnSecondPress()
    {
        var changed = 0;
        var slot = RenderSlot(VaultEnvironment.Dev, () => changed++);
        slot.Find("input").Change("r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD");

        Click(slot, "Save the DEV OpenAI key");
        slot.WaitForAssertion(() => Assert.Contains("looks like a key from Replicate, not from OpenAI", slot.Markup, StringComparison.Ordinal));
        Assert.Empty(await Vault.ListKeysAsync(Session.AccountId));
        Assert.Contains("Save anyway", slot.Markup, StringComparison.Ordinal);

        Click(slot, "Save the DEV OpenAI key");
        slot.WaitForAssertion(() => Assert.Equal(1, changed));
        var key = Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
        Assert.Equal(($"DEV — OpenAI — Created {Time.GetLocalNow():yyyy-MM-dd}", "openai"), (key.Label, key.ProviderId));
    }

    [Fact]
    public async Task KeySlot_ValueStoredElsewhere_IsRefusedWithTheReason()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Prod, "PROD — OpenAI — main");
        var slot = RenderSlot(VaultEnvironment.Dev);
        slot.Find("input").Change(value);

        Click(slot, "Save the DEV OpenAI key");

        slot.WaitForAssertion(() => Assert.Contains("already in your vault as “PROD — OpenAI — main”", slot.Markup, StringComparison.Ordinal));
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task KeySlot_Skip_IsRemembered()
    {
        var slot = RenderSlot(VaultEnvironment.Staging);

        Click(slot, "Skip for now: STAGING OpenAI key");

        await slot.WaitForAssertionAsync(async () => Assert.True((await Setup.GetAsync(Session.AccountId)).IsSkipped("openai", VaultEnvironment.Staging)));
    }

    [Fact]
    public void KeySlot_Missing_LinksTheKeysPageAndOffersTheName()
    {
        var slot = RenderSlot(VaultEnvironment.Prod);

        Assert.Equal(OpenAi.KeysPageUrl, slot.Find("a[target='_blank']").GetAttribute("href"));
        Assert.Equal($"PROD — OpenAI — Created {Time.GetLocalNow():yyyy-MM-dd}", slot.Find(".ck-label-suggestion").TextContent);
    }

    [Fact]
    public async Task Caps_TickingDone_SavesTheSuggestedAmountsAsSetAtTheProvider()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-27");
        var caps = await RenderCapsAsync();

        Assert.Equal("5", InputLabelled(caps, "DEV cap for OpenAI").GetAttribute("value"));
        CheckBoxLabelled(caps, "Done: I set these caps at OpenAI").Change(true);

        await caps.WaitForAssertionAsync(async () => Assert.Equal(5m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
        Assert.True(Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).CapSetAtProvider);
    }

    [Fact]
    public async Task Caps_LeavingAField_SavesItsAmount_WithNoSaveButtonOnTheStep()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "STAGING — OpenAI — Created 2026-11-27");
        var caps = await RenderCapsAsync();

        InputLabelled(caps, "STAGING cap for OpenAI").Change("12");

        await caps.WaitForAssertionAsync(async () => Assert.Equal(12m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
        // Typed, not yet ticked: saved, but not yet set at the provider.
        Assert.False(Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).CapSetAtProvider);
        Assert.DoesNotContain(caps.FindAll("button"), b => b.TextContent.Contains("Save", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Caps_ServicesInTheKeysStepsOrder_OneOpenAtATime_TheNextOpensWhenOneIsDone()
    {
        await Setup.SaveProvidersAsync(Session.AccountId, ["runway", "openai"], TestAccounts.Origin);
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-27");
        await Vault.AddKeyAsync(Session, new NewKeyInput("Runway", VaultEnvironment.Dev, "DEV — Runway — Created 2026-11-27", TestAccounts.NewKeyValue(), "runway"), TestAccounts.Origin, acceptShapeWarning: true);
        var caps = await RenderCapsAsync();

        var order = caps.FindAll("[data-testid^='caps-']").Select(e => e.GetAttribute("data-testid")).ToList();
        Assert.Equal(["caps-Runway", "caps-OpenAI"], order);
        Assert.NotNull(InputLabelled(caps, "DEV cap for Runway"));
        Assert.DoesNotContain(caps.FindAll("label"), l => l.TextContent.Contains("DEV cap for OpenAI", StringComparison.Ordinal));

        CheckBoxLabelled(caps, "Done: I set these caps at Runway").Change(true);

        caps.WaitForAssertion(() => Assert.NotNull(InputLabelled(caps, "DEV cap for OpenAI")));
        Assert.Contains("Done at the provider", caps.Find("[data-testid='caps-Runway']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caps_OneBadAmount_SavesNothingAndSaysWhere()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-27");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "STAGING — OpenAI — Created 2026-11-27");
        var caps = await RenderCapsAsync();

        InputLabelled(caps, "STAGING cap for OpenAI").Change("-3");
        caps.WaitForAssertion(() => Assert.Contains("A cap cannot be negative", caps.Markup, StringComparison.Ordinal));
        CheckBoxLabelled(caps, "Done: I set these caps at OpenAI").Change(true);

        caps.WaitForAssertion(() => Assert.Contains("Fix the amount marked above first.", caps.Markup, StringComparison.Ordinal));
        Assert.All(await Vault.ListKeysAsync(Session.AccountId), k => Assert.Null(k.MonthlyCapUsd));
    }

    [Fact]
    public async Task Caps_BudgetOverTheMaximum_IsRefused()
    {
        var caps = await RenderCapsAsync();

        InputLabelled(caps, "Budget in US dollars per month").Change("9999999");

        caps.WaitForAssertion(() => Assert.Contains("Check for an extra zero", caps.Markup, StringComparison.Ordinal));
        Assert.Null(await Setup.GetMonthlyBudgetAsync(Session.AccountId));
    }

    [Fact]
    public async Task Caps_ProdCapsOverBudget_AreWarnedAbout()
    {
        await Setup.SetMonthlyBudgetAsync(Session.AccountId, 50m, TestAccounts.Origin);
        await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27", TestAccounts.NewKeyValue(), "openai", 80m), TestAccounts.Origin);

        var caps = await RenderCapsAsync();

        Assert.Contains("more than your monthly budget of $50", caps.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caps_AmountsTyped_AreSavedAndSurviveARefreshOfThePage()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-27");
        var caps = await RenderCapsAsync();
        InputLabelled(caps, "DEV cap for OpenAI").Change("7");
        await caps.WaitForAssertionAsync(async () => Assert.Equal(7m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));

        // Saving the budget refreshes the whole setup page, which hands the step a fresh overview.
        var fresh = await Setup.GetOverviewAsync(Session.AccountId);
        caps.Render(p => p.Add(s => s.Overview, fresh).Add(s => s.Budget, 100m));

        Assert.Equal("7", InputLabelled(caps, "DEV cap for OpenAI").GetAttribute("value"));
        Assert.Contains("Saved; set it at the provider", caps.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupPage_ResumesAtTheSavedStep()
    {
        await Setup.SaveProvidersAsync(Session.AccountId, ["openai"], TestAccounts.Origin);
        await Setup.SaveStepAsync(Session.AccountId, 2, TestAccounts.Origin);
        Render<MudPopoverProvider>();

        var page = Render<SetupPage>();

        page.WaitForAssertion(() => Assert.Contains("Set a monthly spend cap on every key", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetupPage_StepLink_OpensThatStep()
    {
        await Setup.SaveProvidersAsync(Session.AccountId, ["openai"], TestAccounts.Origin);
        Services.GetRequiredService<NavigationManager>().NavigateTo("setup?step=summary");

        var page = Render<SetupPage>();

        page.WaitForAssertion(() => Assert.Contains("Where you are", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void SetupPage_NothingPicked_StaysOnTheAuditWithAMessage()
    {
        var page = Render<SetupPage>();
        page.WaitForAssertion(() => Assert.Contains("Which paid AI services do you use?", page.Markup, StringComparison.Ordinal));

        page.FindAll("button").Single(b => b.TextContent.Contains("Next: keys", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("Tick at least one service you use before going on.", page.Markup, StringComparison.Ordinal));
        Assert.Contains("Which paid AI services do you use?", page.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<AuditStep> RenderAudit(IReadOnlyList<string> selected, Action onChanged) =>
        Render<AuditStep>(p => p
            .Add(s => s.Providers, ProviderCatalog.Shipped.Providers)
            .Add(s => s.Selected, selected)
            .Add(s => s.OnChanged, onChanged));

    private IRenderedComponent<KeySlotEditor> RenderSlot(VaultEnvironment environment, Action? onChanged = null) =>
        Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, OpenAi)
            .Add(s => s.Slot, new KeySlot(environment, SlotState.Missing, null))
            .Add(s => s.OnChanged, onChanged ?? (() => { })));

    private async Task<IRenderedComponent<CapsStep>> RenderCapsAsync()
    {
        var overview = await Setup.GetOverviewAsync(Session.AccountId);
        var budget = await Setup.GetMonthlyBudgetAsync(Session.AccountId);
        return Render<CapsStep>(p => p.Add(s => s.Overview, overview).Add(s => s.Budget, budget).Add(s => s.OnChanged, () => { }));
    }

    private static void Click<T>(IRenderedComponent<T> component, string ariaLabel)
        where T : IComponent =>
        component.Find($"button[aria-label='{ariaLabel}']").Click();

    private static AngleSharp.Dom.IElement CheckBoxLabelled<T>(IRenderedComponent<T> component, string label)
        where T : IComponent =>
        component.FindAll("label").Single(l => l.TextContent.Trim() == label).QuerySelector("input")!;

    private static AngleSharp.Dom.IElement InputLabelled<T>(IRenderedComponent<T> component, string label)
        where T : IComponent
    {
        var labelElement = component.FindAll("label").First(l => l.TextContent.Trim() == label);
        return component.Find($"#{labelElement.GetAttribute("for")}");
    }
}
