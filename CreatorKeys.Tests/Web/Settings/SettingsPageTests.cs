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

        page.WaitForAssertion(async () => Assert.Equal(250m, await Services.GetRequiredService<SetupService>().GetMonthlyBudgetAsync(Session.AccountId)));
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

    [Fact]
    public void TechnicalWords_StayBehindTechnicalDetailsUntilItIsOpened()
    {
        var page = Render<SettingsPage>();
        string[] technical = ["PBKDF2", "HMAC", "SHA256"];

        var details = page.FindAll("details").Single(d => d.QuerySelector("summary")?.TextContent.Trim() == "Technical details");
        Assert.False(details.HasAttribute("open"));
        Assert.Contains("Stretched so guessing it is slow", VisibleText(page), StringComparison.Ordinal);
        Assert.All(technical, word => Assert.DoesNotContain(word, VisibleText(page), StringComparison.Ordinal));

        // What the browser does when the summary is clicked, or focused and Enter pressed.
        details.SetAttribute("open", "");

        Assert.All(technical, word => Assert.Contains(word, VisibleText(page), StringComparison.Ordinal));
    }

    private static string VisibleText(IRenderedComponent<SettingsPage> page) => string.Concat(page.Nodes.Select(VisibleText));

    /// <summary>The text a person sees: a closed native disclosure shows its summary only.</summary>
    private static string VisibleText(AngleSharp.Dom.INode node) => node switch
    {
        AngleSharp.Dom.IElement { LocalName: "details" } details when !details.HasAttribute("open") =>
            details.QuerySelector("summary")?.TextContent ?? "",
        AngleSharp.Dom.IElement element => string.Concat(element.ChildNodes.Select(VisibleText)),
        _ => node.NodeType == AngleSharp.Dom.NodeType.Text ? node.TextContent : "",
    };

    private static AngleSharp.Dom.IElement Budget(IRenderedComponent<SettingsPage> page)
    {
        var label = page.FindAll("label").First(l => l.TextContent.Trim() == "Budget in US dollars per month");
        return page.Find($"#{label.GetAttribute("for")}");
    }
}
