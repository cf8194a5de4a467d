using Bunit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Setup;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Setup;

/// <summary>
/// The guided setup without dead ends (issue 20): its way out is a real link, a stored key is confirmed
/// where it was pasted, and PROD typing is asked for only when a change can break something live.
/// </summary>
public sealed class SetupNoDeadEndsTests : ComponentTestContext
{
    private SetupService Setup => Services.GetRequiredService<SetupService>();

    [Fact]
    public async Task SetupPage_Summary_GoToTheDashboardIsALinkHome()
    {
        await Setup.SaveProvidersAsync(Session.AccountId, ["openai"], TestAccounts.Origin);
        Services.GetRequiredService<NavigationManager>().NavigateTo("setup?step=summary");

        var page = Render<SetupPage>();

        // A MudButton with an empty Href renders a <button> that goes nowhere; a link home is an <a href="/">.
        await page.WaitForAssertionAsync(() => Assert.Equal("/", LinkNamed(page, "Go to the dashboard").GetAttribute("href")));
        Assert.Equal("/", LinkNamed(page, "dashboard").GetAttribute("href"));
    }

    [Fact]
    public async Task KeySlot_Save_ConfirmsInTheSlotAndShowsNoToast()
    {
        var changed = 0;
        var slot = Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, ProviderCatalog.Shipped.Find("openai")!)
            .Add(s => s.Slot, new KeySlot(VaultEnvironment.Dev, SlotState.Missing, null))
            .Add(s => s.OnChanged, () => changed++));
        slot.Find("input").Change(TestAccounts.NewKeyValue());

        slot.Find("button[aria-label='Save the DEV OpenAI key']").Click();

        await slot.WaitForAssertionAsync(() => Assert.Equal(1, changed));
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
        Assert.Equal("Stored and encrypted just now.", slot.Find("[role='status']").TextContent.Trim());
        // Nine keys used to mean nine toasts piled over the page; the slot says it instead.
        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public async Task Caps_FirstCapOnAProdKeyNothingUses_SavesWithoutTypingPROD()
    {
        await AddProdKeyAsync(cap: null);
        var dialogs = Render<MudDialogProvider>();
        var caps = await RenderCapsAsync();

        CapField(caps).Change("250");

        await caps.WaitForAssertionAsync(async () => Assert.Equal(250m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
        Assert.Empty(dialogs.FindAll(".mud-dialog"));
    }

    [Fact]
    public async Task Caps_LoweringAProdCap_NeedsPRODTyped()
    {
        await AddProdKeyAsync(cap: 300m);
        var dialogs = Render<MudDialogProvider>();
        var caps = await RenderCapsAsync();

        CapField(caps).Change("250");
        await dialogs.WaitForAssertionAsync(() => Assert.Contains("A lower cap can stop your live work sooner.", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        Assert.Equal(300m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd);

        InputLabelled(dialogs, "Type PROD to confirm").Input("PROD");
        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Save caps").Click();

        await caps.WaitForAssertionAsync(async () => Assert.Equal(250m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
    }

    [Fact]
    public async Task Caps_FirstCapOnAProdKeyAWorkflowUses_NeedsPRODTyped()
    {
        var key = await AddProdKeyAsync(cap: null);
        var (workflow, errors) = await Services.GetRequiredService<WorkflowService>().SaveAsync(Session.AccountId, null,
            new WorkflowInput("Daily avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(key.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);
        Assert.True(workflow is not null, string.Join(" ", errors.Values));
        var dialogs = Render<MudDialogProvider>();
        var caps = await RenderCapsAsync();

        CapField(caps).Change("250");
        await dialogs.WaitForAssertionAsync(() => Assert.Contains("A workflow uses it", dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));

        dialogs.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        await dialogs.WaitForAssertionAsync(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Null(Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd);
    }

    private async Task<KeySummary> AddProdKeyAsync(decimal? cap)
    {
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27", TestAccounts.NewKeyValue(), "openai", cap), TestAccounts.Origin);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private async Task<IRenderedComponent<CapsStep>> RenderCapsAsync()
    {
        var overview = await Setup.GetOverviewAsync(Session.AccountId);
        return Render<CapsStep>(p => p.Add(s => s.Overview, overview).Add(s => s.OnChanged, () => { }));
    }

    private static AngleSharp.Dom.IElement CapField(IRenderedComponent<CapsStep> caps) => InputLabelled(caps, "PROD cap for OpenAI");

    private static AngleSharp.Dom.IElement LinkNamed<T>(IRenderedComponent<T> component, string name)
        where T : IComponent =>
        component.FindAll("a[href]").Single(a => a.TextContent.Trim() == name);

    private static AngleSharp.Dom.IElement InputLabelled<T>(IRenderedComponent<T> component, string label)
        where T : IComponent
    {
        var labelElement = component.FindAll("label").First(l => l.TextContent.Trim() == label);
        return component.Find($"#{labelElement.GetAttribute("for")}");
    }
}
