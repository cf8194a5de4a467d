using Bunit;
using CreatorKeys.Core.Setup;
using CreatorKeys.Web.Components.Pages.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Settings;

public sealed class SettingsPageTests : ComponentTestContext
{
    [Fact]
    public async Task Budget_SavedFromSettings_IsTheOneTheChecklistUses()
    {
        var page = Render<SettingsPage>();

        Budget(page).Change("250");
        page.FindAll("button").Single(b => b.TextContent.Contains("Save budget", StringComparison.Ordinal)).Click();

        await page.WaitForAssertionAsync(async () => Assert.Equal(250m, await Services.GetRequiredService<SetupService>().GetMonthlyBudgetAsync(Session.AccountId)));
    }

    [Fact]
    public async Task Budget_Negative_IsRefusedNextToTheField()
    {
        var page = Render<SettingsPage>();

        Budget(page).Change("-1");
        page.FindAll("button").Single(b => b.TextContent.Contains("Save budget", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("A budget cannot be negative", page.Markup, StringComparison.Ordinal));
        Assert.Null(await Services.GetRequiredService<SetupService>().GetMonthlyBudgetAsync(Session.AccountId));
    }

    [Fact]
    public void KeyRingWithoutCertificate_IsWarnedAbout()
    {
        var page = Render<SettingsPage>();

        Assert.Contains("not encrypted at rest", page.Find("[data-testid='key-ring-warning']").TextContent, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement Budget(IRenderedComponent<SettingsPage> page)
    {
        var label = page.FindAll("label").First(l => l.TextContent.Trim() == "Budget in US dollars per month");
        return page.Find($"#{label.GetAttribute("for")}");
    }
}
