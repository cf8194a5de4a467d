using AngleSharp.Dom;
using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Reports;
using CreatorKeys.Web.Components.Pages.Rotation;
using CreatorKeys.Web.Components.Pages.Setup;
using CreatorKeys.Web.Components.Pages.Vault;
using CreatorKeys.Web.Components.Pages.Workflows;
using CreatorKeys.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Layout;

/// <summary>
/// An environment looks the same on every page (issue 24): one chip, one class (so one colour) per environment, its
/// code as its text; and a vault key on a phone is a two-line card with its "⋯" menu holding the rarer actions.
/// </summary>
public sealed class EnvChipTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public void EnvChip_EachEnvironment_HasItsOwnClassAndItsCodeAsText()
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var environment in VaultEnvironments.All)
        {
            var chip = Render<EnvChip>(p => p.Add(c => c.Environment, environment)).Find(".ck-env");

            Assert.Equal(environment.Code(), chip.TextContent);
            Assert.Equal($"ck-env ck-env--{environment.Code().ToLowerInvariant()}", chip.GetAttribute("class"));
            classes.Add(chip.GetAttribute("class")!);
            // The markup lists use is the component's, to the character.
            Assert.Equal(EnvChip.Markup(environment).Value, chip.OuterHtml);
        }

        Assert.Equal(3, classes.Count);
    }

    [Fact]
    public async Task EveryPage_ShowsAnEnvironment_WithTheSameChip()
    {
        var dev = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — tests");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "STAGING — OpenAI — tests");
        var prod = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — main");
        await Services.GetRequiredService<WorkflowService>().SaveAsync(Session.AccountId, null,
            new WorkflowInput("Avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(prod.Id, "OPENAI_API_KEY_PROD")]), TestAccounts.Origin);
        var overview = await Services.GetRequiredService<SetupService>().GetOverviewAsync(Session.AccountId);

        var setupSlot = Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, ProviderCatalog.Shipped.Find("openai")!)
            .Add(s => s.Slot, new KeySlot(VaultEnvironment.Staging, SlotState.Missing, null))
            .Add(s => s.OnChanged, () => { }));
        var caps = Render<CapsStep>(p => p.Add(s => s.Overview, overview).Add(s => s.OnChanged, () => { }));
        var vault = Render<VaultPage>(p => p.AddCascadingValue(Browser));
        var keyPage = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, dev.Id).AddCascadingValue(Browser));
        var reports = Render<ReportsPage>(p => p.AddCascadingValue(Browser));
        var workflows = Render<WorkflowsPage>(p => p.AddCascadingValue(Browser));
        var rotation = Render<RotationPage>(p => p.AddCascadingValue(Browser));

        var chips = new Dictionary<string, Func<IReadOnlyList<IElement>>>
        {
            ["setup keys"] = () => setupSlot.FindAll(".ck-env"),
            ["setup caps"] = () => caps.FindAll(".ck-env"),
            ["vault"] = () => vault.FindAll(".ck-env"),
            ["key page"] = () => keyPage.FindAll(".ck-env"),
            ["reports"] = () => reports.FindAll(".ck-env"),
            ["workflows"] = () => workflows.FindAll(".ck-env"),
            ["rotation"] = () => rotation.FindAll(".ck-env"),
        };

        foreach (var (page, find) in chips)
        {
            await vault.WaitForAssertionAsync(() => Assert.True(find().Count > 0, $"{page} shows no environment chip."));
            foreach (var chip in find())
            {
                var environment = VaultEnvironments.All.Single(e => e.Code() == chip.TextContent.Trim());
                Assert.Equal(EnvChip.CssClass(environment), chip.GetAttribute("class"));
            }
        }

        // Every environment appears somewhere, each always in its own class.
        var seen = chips.Values.SelectMany(find => find()).Select(c => (c.TextContent.Trim(), c.GetAttribute("class"))).Distinct().ToList();
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public async Task VaultRow_OnAPhone_IsTwoLines_AndItsMenuHoldsEditStopUsingAndDelete()
    {
        var value = TestAccounts.NewKeyValue();
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", value, "openai", 100m), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded);
        var page = Render<VaultPage>(p => p.AddCascadingValue(Browser));
        page.WaitForElement("#vault-tab-PROD").Click();

        var card = page.WaitForElement(".ck-key-card");

        var title = card.QuerySelector("a.ck-key-card-title")!;
        Assert.Equal($"vault/keys/{result.Key!.Id}", title.GetAttribute("href"));
        // It shows "OpenAI · PROD"; a screen reader hears the key's name first (so its name starts as the label does).
        Assert.Equal("PROD — OpenAI — main: ", title.QuerySelector(".ck-visually-hidden")!.TextContent);
        Assert.Equal("OpenAI · PROD", string.Concat(title.ChildNodes.Where(n => n is not IElement { ClassName: "ck-visually-hidden" }).Select(n => n.TextContent)).Trim());
        Assert.Equal("img/providers/openai.svg", title.QuerySelector("img")!.GetAttribute("src"));
        Assert.Equal("", title.QuerySelector("img")!.GetAttribute("alt"));
        Assert.Equal($"ends {value[^4..]} · $100/mo · due in 90 days", card.QuerySelector("[data-testid='key-card-details']")!.TextContent);
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);

        // Reveal (the eye beside the hint) and Copy stay on the row; the rest is in the "⋯" menu.
        var row = page.Find("tbody tr");
        Assert.NotNull(row.QuerySelector(".ck-key-secret button[aria-label='Reveal PROD — OpenAI — main']"));
        var menuButton = row.QuerySelector("button.ck-menu-button")!;
        Assert.Equal("More for PROD — OpenAI — main", menuButton.GetAttribute("aria-label"));
        Assert.Equal("menu", menuButton.GetAttribute("aria-haspopup"));
        var menu = row.QuerySelector("[role='menu']")!;
        Assert.Equal(["Edit", "Stop using", "Delete"], menu.QuerySelectorAll("[role='menuitem']").Select(i => i.TextContent.Trim()).ToArray());
        Assert.Null(menu.QuerySelector("[aria-label^='Copy'], [aria-label^='Reveal']"));
    }
}
