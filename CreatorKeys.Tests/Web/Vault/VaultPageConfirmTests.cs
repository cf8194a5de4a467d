using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>The vault page asks "confirm it's you" before a PROD value leaves the vault, once per 10 minutes, and never for DEV.</summary>
public sealed class VaultPageConfirmTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public async Task RevealProd_AsksForThePasswordOncePerWindow_ThenShowsTheValue()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Prod, "PROD — OpenAI — main");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Reveal PROD — OpenAI — main']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Confirm it's you", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("will not ask again for 10 minutes", dialogs.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid='revealed-value']"));

        // A wrong password: a message, no value, the dialog stays.
        Password(dialogs).Input("not my password at all");
        dialogs.Find("form#confirm-its-you-form").Submit();
        await dialogs.WaitForAssertionAsync(() => Assert.Contains("That is not your password.", dialogs.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("[data-testid='revealed-value']"));

        Password(dialogs).Input(TestAccounts.Password);
        dialogs.Find("form#confirm-its-you-form").Submit();
        await page.WaitForAssertionAsync(() => Assert.Equal(value, page.Find("[data-testid='revealed-value']").TextContent), TimeSpan.FromSeconds(20));
        Assert.Empty(dialogs.FindAll(".mud-dialog"));

        // Inside the window: hide, copy and reveal again without being asked.
        page.Find("button[aria-label='Hide PROD — OpenAI — main']").Click();
        Time.Advance(VaultSession.ConfirmationWindow - TimeSpan.FromSeconds(1));
        page.Find("button[aria-label='Reveal PROD — OpenAI — main']").Click();
        await page.WaitForAssertionAsync(() => Assert.Equal(value, page.Find("[data-testid='revealed-value']").TextContent));
        Assert.Empty(dialogs.FindAll(".mud-dialog"));

        // After it: asked again.
        page.Find("button[aria-label='Hide PROD — OpenAI — main']").Click();
        Time.Advance(TimeSpan.FromSeconds(1));
        page.Find("button[aria-label='Copy PROD — OpenAI — main']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Confirm it's you", dialogs.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RevealProd_Cancelled_ShowsNothingAndRecordsNothing()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Prod, "PROD — OpenAI — main");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Reveal PROD — OpenAI — main']").Click();
        dialogs.WaitForElement("button:contains('Cancel')").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Empty(page.FindAll("[data-testid='revealed-value']"));
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 50), e => e.Action == ActivityAction.KeyRevealed);
    }

    [Fact]
    public async Task RevealDev_DoesNotAsk()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — OpenAI — tests");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — tests']").Click();

        await page.WaitForAssertionAsync(() => Assert.Equal(value, page.Find("[data-testid='revealed-value']").TextContent));
        Assert.Empty(dialogs.FindAll(".mud-dialog"));
        Assert.False(Session.IsConfirmed);
    }

    private static AngleSharp.Dom.IElement Password(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.Find("form#confirm-its-you-form input[type='password']");

    private IRenderedComponent<VaultPage> RenderPage() =>
        Render<VaultPage>(parameters => parameters.AddCascadingValue(Browser));
}
