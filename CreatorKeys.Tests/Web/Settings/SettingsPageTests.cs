using Bunit;
using CreatorKeys.Core.Setup;
using CreatorKeys.Tests.Infrastructure;
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

    [Fact]
    public void TechnicalWords_StayBehindTechnicalDetailsUntilItIsOpened()
    {
        var page = Render<SettingsPage>();
        string[] technical = ["PBKDF2", "HMAC", "SHA256"];

        // The install's settings wait under Advanced; opened, the technical words still wait under their own disclosure.
        page.Find("[data-testid='advanced']").SetAttribute("open", "");
        var details = page.FindAll("details").Single(d => d.QuerySelector("summary")?.TextContent.Trim() == "Technical details");
        Assert.False(details.HasAttribute("open"));
        Assert.Contains("Stretched so guessing it is slow", VisibleText(page), StringComparison.Ordinal);
        Assert.All(technical, word => Assert.DoesNotContain(word, VisibleText(page), StringComparison.Ordinal));

        // What the browser does when the summary is clicked, or focused and Enter pressed.
        details.SetAttribute("open", "");

        Assert.All(technical, word => Assert.Contains(word, VisibleText(page), StringComparison.Ordinal));
    }

    [Fact]
    public void Open_WhatACreatorChangesComesFirst_TheInstallsSettingsWaitUnderAdvanced()
    {
        var page = Render<SettingsPage>();

        var visible = System.Text.RegularExpressions.Regex.Replace(VisibleText(page), @"\s+", " ");
        Assert.Contains($"Email reminders to {TestAccounts.Email}: Off", visible, StringComparison.Ordinal);
        Assert.True(visible.IndexOf("Email reminders to", StringComparison.Ordinal) < visible.IndexOf("Your account", StringComparison.Ordinal));
        Assert.Contains("Change password", visible, StringComparison.Ordinal);
        var advanced = page.Find("[data-testid='advanced']");
        Assert.False(advanced.HasAttribute("open"));
        Assert.Equal("Advanced — for whoever runs this CreatorKeys", advanced.QuerySelector("summary")!.TextContent.Trim());
        // Key ring, mail server, scheduler and limits: all there, none in view until Advanced is opened.
        string[] install = ["key ring", "Email (SMTP)", "Scheduler", "Sign-in pauses after", "STARTTLS"];
        Assert.All(install, word => Assert.Contains(word, advanced.TextContent, StringComparison.Ordinal));
        Assert.All(install, word => Assert.DoesNotContain(word, visible, StringComparison.Ordinal));
    }

    [Fact]
    public void Open_FromTurnOnEmailReminders_AdvancedIsOpenAtTheMailServer()
    {
        Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("settings?advanced=mail");

        var page = Render<SettingsPage>();

        Assert.True(page.Find("[data-testid='advanced']").HasAttribute("open"));
        Assert.Contains("Email (SMTP)", page.Find("#mail-server").TextContent, StringComparison.Ordinal);
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
