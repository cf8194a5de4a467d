using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>Editing, retiring and finding keys on the vault page; PROD asks for typed confirmation.</summary>
public sealed class VaultPageEditingTests : ComponentTestContext
{
    [Fact]
    public async Task Edit_DevKey_SavesNameAndCap()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "Key 1");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Edit Key 1']").Click();
        dialogs.WaitForElement(".mud-dialog");
        dialogs.FindAll("button").Single(b => b.TextContent.StartsWith("Use “DEV — OpenAI — Created", StringComparison.Ordinal)).Click();
        InputLabelled(dialogs, "Monthly spend cap (US dollars, empty for none)").Change("7.5");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save changes").Click();

        await page.WaitForAssertionAsync(async () =>
        {
            var key = Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
            Assert.StartsWith("DEV — OpenAI — Created", key.Label, StringComparison.Ordinal);
            Assert.Equal(7.5m, key.MonthlyCapUsd);
        });
    }

    [Fact]
    public async Task Edit_FirstCapOnAProdKeyNothingUses_SavesWithoutTypingPROD()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Edit PROD — OpenAI — Created 2026-11-27']").Click();
        dialogs.WaitForElement(".mud-dialog");
        InputLabelled(dialogs, "Monthly spend cap (US dollars, empty for none)").Change("300");

        Assert.DoesNotContain(dialogs.FindAll("label"), l => l.TextContent.Trim() == "Type PROD to confirm");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save changes").Click();

        await page.WaitForAssertionAsync(async () => Assert.Equal(300m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
    }

    [Fact]
    public async Task Edit_ProdKey_NeedsPRODTypedBeforeSaving()
    {
        // Lowering a PROD cap can stop live work sooner, so it is a protected change.
        var key = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — Created 2026-11-27");
        Assert.True((await Vault.UpdateCapAsync(Session.AccountId, key.Id, 500m, false, TestAccounts.Origin)).Succeeded);
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Edit PROD — OpenAI — Created 2026-11-27']").Click();
        dialogs.WaitForElement(".mud-dialog");
        InputLabelled(dialogs, "Monthly spend cap (US dollars, empty for none)").Change("300");
        var save = () => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save changes");

        Assert.True(save().HasAttribute("disabled"));
        InputLabelled(dialogs, "Type PROD to confirm").Input("prod");
        Assert.True(save().HasAttribute("disabled"));
        InputLabelled(dialogs, "Type PROD to confirm").Input("PROD");
        dialogs.WaitForAssertion(() => Assert.False(save().HasAttribute("disabled")));
        save().Click();

        await page.WaitForAssertionAsync(async () => Assert.Equal(300m, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).MonthlyCapUsd));
    }

    [Fact]
    public async Task Retire_ProdKey_AfterTypedConfirmation_MovesItOutOfTheInUseList()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — old");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Stop using PROD — old']").Click();
        dialogs.WaitForElement(".mud-dialog");
        var confirm = () => dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Stop using it");
        Assert.True(confirm().HasAttribute("disabled"));
        InputLabelled(dialogs, "Type PROD to confirm").Input("PROD");
        dialogs.WaitForAssertion(() => Assert.False(confirm().HasAttribute("disabled")));
        confirm().Click();

        page.WaitForAssertion(() => Assert.Contains("PROD (0)", page.Markup, StringComparison.Ordinal));
        Assert.Equal(KeyStatus.Retired, Assert.Single(await Vault.ListKeysAsync(Session.AccountId)).Status);
    }

    [Fact]
    public async Task Delete_ProdKeyCancelled_KeepsIt()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — keep");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Delete PROD — keep']").Click();
        dialogs.WaitForElement(".mud-dialog");
        Assert.True(dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete key").HasAttribute("disabled"));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Keep it").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task UnclearName_IsFlagged_ConventionalNameIsNot()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "test");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-11-27");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[aria-label^='Name could be clearer']")));
        Assert.Equal("Name could be clearer: rename test", page.Find("[aria-label^='Name could be clearer']").GetAttribute("aria-label"));
    }

    [Fact]
    public async Task Search_ShowsOnlyMatchingKeys()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — avatar voice");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — thumbnails");
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.Contains("DEV (2)", page.Markup, StringComparison.Ordinal));

        var search = InputLabelled(page, "Search by service, name or hint");
        search.Input("thu");
        Time.Advance(TimeSpan.FromMilliseconds(100));
        search.Input("thumb");
        Time.Advance(TimeSpan.FromMilliseconds(100));
        // Still typing: 100 ms after the last letter, nothing is searched yet.
        Assert.Contains("DEV (2)", page.Markup, StringComparison.Ordinal);
        Time.Advance(TimeSpan.FromMilliseconds(60)); // past the search box's pause after the last letter

        page.WaitForAssertion(() => Assert.Contains("DEV (1)", page.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("avatar voice", page.Markup, StringComparison.Ordinal);
    }

    private IRenderedComponent<VaultPage> RenderPage() =>
        Render<VaultPage>(parameters => parameters.AddCascadingValue(new RequestOrigin("198.51.100.4", "bUnit")));

    private static AngleSharp.Dom.IElement InputLabelled<T>(IRenderedComponent<T> component, string label)
        where T : IComponent
    {
        var labelElement = component.FindAll("label").First(l => l.TextContent.Trim() == label);
        return component.Find($"#{labelElement.GetAttribute("for")}");
    }
}
