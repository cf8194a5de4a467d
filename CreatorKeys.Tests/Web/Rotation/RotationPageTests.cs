using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Rotation;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Rotation;

/// <summary>The rotation page lists keys by due date a page at a time, so a big vault never renders them all.</summary>
public sealed class RotationPageTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public async Task Render_MoreKeysThanAPage_ListsOnePageByDueDateAndPagesThroughTheRest()
    {
        for (var i = 1; i <= KeyListQuery.DefaultPageSize + 3; i++)
        {
            await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, $"DEV — OpenAI — key {i:00}");
        }

        var page = Render<RotationPage>(parameters => parameters.AddCascadingValue(Browser));

        page.WaitForAssertion(() => Assert.Contains("Showing 1–25 of 28 keys in use", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal));
        Assert.Equal(KeyListQuery.DefaultPageSize, page.FindAll("[aria-label='Keys by due date'] tbody tr").Count);
        Assert.Contains("DEV — OpenAI — key 01", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("DEV — OpenAI — key 28", page.Markup, StringComparison.Ordinal);

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[aria-label='Keys by due date'] tbody tr").Count));
        Assert.Contains("Showing 26–28 of 28 keys in use", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal);
        Assert.Contains("DEV — OpenAI — key 28", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("DEV — OpenAI — key 01", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FinishTestCycle_ManyKeys_AsksNamingTheFirstFewAndHowManyMore()
    {
        for (var i = 1; i <= 5; i++)
        {
            await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, $"DEV — OpenAI — key {i:00}");
        }

        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<RotationPage>(parameters => parameters.AddCascadingValue(Browser));

        page.WaitForElement("[aria-label='Keys by due date']");
        Assert.Empty(page.FindAll("[data-testid='page-position']"));
        page.FindAll("button").Single(b => b.TextContent.Contains("I finished a DEV test cycle", StringComparison.Ordinal)).Click();

        dialogs.WaitForAssertion(() => Assert.Contains("“DEV — OpenAI — key 01”, “DEV — OpenAI — key 02”, “DEV — OpenAI — key 03” and 2 more will be due for replacement today", dialogs.Markup, StringComparison.Ordinal));
        // No STAGING keys: nothing to finish.
        Assert.True(page.FindAll("button").Single(b => b.TextContent.Contains("I finished a STAGING test cycle", StringComparison.Ordinal)).HasAttribute("disabled"));
    }
    [Fact]
    public async Task Row_Replace_EveryKeyHasOne_AndItStartsThatKeysRotation()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — key 01");
        var second = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — key 02");
        var dialogs = Render<MudBlazor.MudDialogProvider>();
        var page = Render<RotationPage>(parameters => parameters.AddCascadingValue(Browser));
        page.WaitForElement("[aria-label='Keys by due date']");

        // The sentence under "Rotations under way" points at a button every row has.
        Assert.Contains("Press Replace next to a key in the list below", page.Find("h2 + p, h2 + .mud-typography").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, page.FindAll("[aria-label='Keys by due date'] tbody tr button").Count(b => b.TextContent.Trim() == "Replace"));
        page.Find($"button[aria-label='Replace {second.Label}']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Replace “{second.Label}”", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Start the rotation", StringComparison.Ordinal)).Click();

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains("rotation/", navigation.Uri, StringComparison.Ordinal));
        var started = Assert.Single(await Services.GetRequiredService<CreatorKeys.Core.Rotation.RotationService>().ListActiveAsync(Session.AccountId));
        Assert.Equal(second.Id, started.OldKeyId);
        Assert.EndsWith($"rotation/{started.Id}", navigation.Uri, StringComparison.Ordinal);
    }
}
