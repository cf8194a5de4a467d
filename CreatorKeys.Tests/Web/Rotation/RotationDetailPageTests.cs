using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Rotation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Rotation;

/// <summary>The rotation as a stepper (issue 24): the saved step is the one shown, step 4 names both keys by their endings, and "done" leads on.</summary>
public sealed class RotationDetailPageTests : ComponentTestContext
{
    private const string SameDay = "PROD — OpenAI — Created 2026-12-07";
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    private RotationService Rotations => Services.GetRequiredService<RotationService>();

    [Fact]
    public async Task Render_EachSavedStep_IsTheOneShownAndMarkedNow()
    {
        var old = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, SameDay);
        var rotation = (await Rotations.StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;

        var page = RenderRotation(rotation.Id);
        page.WaitForAssertion(() => Assert.Contains("Step 1: create the new key", page.Markup, StringComparison.Ordinal));
        Assert.Equal("New key", CurrentStepTitle(page));

        await Rotations.AddNewKeyAsync(Session, rotation.Id, $"{SameDay} (2)", TestAccounts.NewKeyValue(), Browser, acceptShapeWarning: true);
        page = RenderRotation(rotation.Id);
        page.WaitForAssertion(() => Assert.Contains("Step 2: move every workflow to the new key", page.Markup, StringComparison.Ordinal));
        Assert.Equal("Workflows", CurrentStepTitle(page));
        Assert.DoesNotContain("Step 1: create the new key", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_SameDayRotation_SuggestsADifferentNameForTheNewKey()
    {
        var today = KeyLabels.Suggest(VaultEnvironment.Prod, "OpenAI", KeyLabels.Today(Time));
        var old = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, today);
        var rotation = (await Rotations.StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;

        var page = RenderRotation(rotation.Id);

        page.WaitForAssertion(() => Assert.Equal($"{today} (2)", page.Find(".ck-label-suggestion").TextContent));
    }

    [Fact]
    public async Task Step4_NamesBothKeysByTheirEndings_AndFinishWaitsForBothTicks()
    {
        var oldValue = TestAccounts.NewKeyValue();
        var newValue = TestAccounts.NewKeyValue();
        var rotation = await RotationAtStep4Async(oldValue, newValue);

        var page = RenderRotation(rotation.Id);

        page.WaitForAssertion(() => Assert.Contains($"delete the one ending {oldValue[^4..]} — keep the one ending {newValue[^4..]}", Text(page), StringComparison.Ordinal));
        var pair = page.Find("[aria-label='The two keys at the provider']").TextContent;
        Assert.Contains(oldValue[^4..], pair, StringComparison.Ordinal);
        Assert.Contains(newValue[^4..], pair, StringComparison.Ordinal);
        Assert.True(FinishButton(page).HasAttribute("disabled"));

        CheckBox(page, $"I deleted the key ending {oldValue[^4..]} at the provider").Change(true);
        page.WaitForAssertion(() => Assert.True(FinishButton(page).HasAttribute("disabled")));
        CheckBox(page, $"I set this cap on the key ending {newValue[^4..]}").Change(true);

        // Finish is enabled the moment both are done, and the new key's cap is recorded as set at the provider.
        page.WaitForAssertion(() => Assert.False(FinishButton(page).HasAttribute("disabled")));
        var fresh = (await Vault.ListKeysAsync(Session.AccountId)).Single(k => k.Label == $"{SameDay} (2)");
        Assert.True(fresh.CapSetAtProvider);
        Assert.Equal(100m, fresh.MonthlyCapUsd);
    }

    [Fact]
    public async Task Done_BackToTheDashboardLinksHome_AndReplaceTheNextDueKeyStartsItsRotation()
    {
        var next = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — Created 2026-01-01");
        var rotation = await RotationAtStep4Async(TestAccounts.NewKeyValue(), TestAccounts.NewKeyValue());
        await Rotations.CompleteAsync(Session.AccountId, rotation.Id, Browser);
        var dialogs = Render<MudBlazor.MudDialogProvider>();

        var page = RenderRotation(rotation.Id);
        page.WaitForAssertion(() => Assert.Contains("Done", page.Find("h2").TextContent, StringComparison.Ordinal));

        var home = page.FindAll("a").Single(a => a.TextContent.Contains("Back to the dashboard", StringComparison.Ordinal));
        Assert.Equal("/", home.GetAttribute("href"));
        page.FindAll("button").Single(b => b.TextContent.Contains("Replace the next due key", StringComparison.Ordinal)).Click();
        dialogs.WaitForAssertion(() => Assert.Contains($"Replace “{next.Label}”", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Start the rotation", StringComparison.Ordinal)).Click();

        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains("rotation/", navigation.Uri, StringComparison.Ordinal));
        var started = Assert.Single(await Rotations.ListActiveAsync(Session.AccountId));
        Assert.Equal(next.Id, started.OldKeyId);
        Assert.EndsWith($"rotation/{started.Id}", navigation.Uri, StringComparison.Ordinal);
    }

    private async Task<KeyRotation> RotationAtStep4Async(string oldValue, string newValue)
    {
        var old = await AddKeyAsync(oldValue, VaultEnvironment.Prod, SameDay);
        await Vault.UpdateCapAsync(Session.AccountId, old.Id, 100m, true, Browser);
        var rotation = (await Rotations.StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;
        await Rotations.AddNewKeyAsync(Session, rotation.Id, $"{SameDay} (2)", newValue, Browser, acceptShapeWarning: true);
        var retired = await Rotations.RetireOldKeyAsync(Session.AccountId, rotation.Id, null, Browser);
        Assert.True(retired.Succeeded, retired.Error);
        return retired.Rotation!;
    }

    private IRenderedComponent<RotationDetailPage> RenderRotation(Guid id) =>
        Render<RotationDetailPage>(p => p.Add(r => r.RotationId, id).AddCascadingValue(Browser));

    /// <summary>The title of the one step marked "Now" in the stepper.</summary>
    private static string CurrentStepTitle(IRenderedComponent<RotationDetailPage> page) =>
        Assert.Single(page.FindAll(".mud-step-label-content"), l => l.TextContent.Contains("Now", StringComparison.Ordinal))
            .QuerySelector(".mud-step-label-content-title")!.TextContent.Trim();

    private static string Text(IRenderedComponent<RotationDetailPage> page) =>
        System.Text.RegularExpressions.Regex.Replace(page.Find(".mud-stepper").TextContent, @"\s+", " ");

    private static AngleSharp.Dom.IElement FinishButton(IRenderedComponent<RotationDetailPage> page) =>
        page.FindAll("button").Single(b => b.TextContent.Contains("Finish the rotation", StringComparison.Ordinal));

    private static AngleSharp.Dom.IElement CheckBox(IRenderedComponent<RotationDetailPage> page, string label) =>
        page.FindAll("label").Single(l => l.TextContent.Trim() == label).QuerySelector("input")!;
}
