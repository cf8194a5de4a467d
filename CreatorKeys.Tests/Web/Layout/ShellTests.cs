using AngleSharp.Dom;
using Bunit;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Components.Layout;
using CreatorKeys.Web.Components.Pages.Providers;
using CreatorKeys.Web.Components.Pages.Reports;
using CreatorKeys.Web.Components.Pages.Rotation;
using CreatorKeys.Web.Components.Pages.Workflows;
using CreatorKeys.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Layout;

public sealed class ShellTests : ComponentTestContext
{
    [Fact]
    public void NavMenu_LinksEverySection()
    {
        var menu = Render<NavMenu>();

        var links = menu.FindAll("a").Select(a => (Text: a.TextContent.Trim(), Href: a.GetAttribute("href"))).ToList();

        Assert.Equal(
            [("Dashboard", ""), ("Guided setup", "setup"), ("Providers", "providers"), ("Vault", "vault"), ("Workflows", "workflows"), ("Rotation", "rotation"), ("Reports", "reports"), ("Activity", "activity"), ("Settings", "settings")],
            links);
    }

    [Fact]
    public void NavMenu_MarksTheSectionYouAreIn_AndFollowsNavigation()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("vault/keys/00000000-0000-0000-0000-000000000001?replace=true");
        var menu = Render<NavMenu>();

        string[] Current() => [.. menu.FindAll("a[aria-current=page]").Select(a => a.TextContent.Trim())];
        Assert.Equal(["Vault"], Current());
        Assert.Contains("active", menu.Find("a[href=vault]").ClassList);

        navigation.NavigateTo("");
        menu.WaitForAssertion(() => Assert.Equal(["Dashboard"], Current()));

        navigation.NavigateTo("settingsx");
        menu.WaitForAssertion(() => Assert.Empty(Current()));
        Assert.DoesNotContain("active", menu.Find("a[href=vault]").ClassList);
    }

    [Fact]
    public void MudMarkup_LabelsEncodeTheirWords_AndEachKindKeepsItsOwnMarkup()
    {
        var icon = MudBlazor.Icons.Material.Filled.Edit;

        var label = MudMarkup.SmallButtonLabel(icon, "Edit <b>&</b>").Value;
        var iconOnly = MudMarkup.IconButtonLabel(icon).Value;

        Assert.EndsWith("</span>Edit &lt;b&gt;&amp;&lt;/b&gt;</span>", label, StringComparison.Ordinal);
        Assert.StartsWith("<span class=\"mud-icon-button-label\"><svg ", iconOnly, StringComparison.Ordinal);
        Assert.StartsWith("<span class=\"mud-button-label\">", MudMarkup.SmallButtonLabel(icon, "").Value, StringComparison.Ordinal);
        Assert.Same(label, MudMarkup.SmallButtonLabel(icon, "Edit <b>&</b>").Value); // made once, then kept
    }

    [Fact]
    public void PageIntros_SayInPlainWordsWhatEachPageIsFor()
    {
        Assert.Contains("which key each one uses", Render<WorkflowsPage>().Markup, StringComparison.Ordinal);
        Assert.Contains("Rotating a key means", Render<RotationPage>().Markup, StringComparison.Ordinal);
        Assert.Contains("It never contains a key's value.", Render<ReportsPage>().Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void VaultGate_EmergencyKitNotConfirmed_HoldsCreatorOnTheKitPage()
    {
        Session.EmergencyKitPending = true;
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("vault");

        Render<VaultGate>();

        Assert.EndsWith("/account/emergency-kit", navigation.Uri, StringComparison.Ordinal);
        navigation.NavigateTo("settings");
        Assert.EndsWith("/account/emergency-kit", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VaultGate_KitConfirmed_LetsCreatorGoAnywhere()
    {
        await using (var scope = Services.CreateAsyncScope())
        {
            Session.PendingRecoveryCode = "CODE";
            await scope.ServiceProvider.GetRequiredService<AccountService>().ConfirmEmergencyKitSavedAsync(Session, "CODE", Infrastructure.TestAccounts.Origin);
        }

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("vault");
        Render<VaultGate>();

        Assert.EndsWith("/vault", navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public void VaultGate_VaultLocksWhilePageIsOpen_SendsToSignInWithReason()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("vault");
        var gate = Render<VaultGate>();

        Services.GetRequiredService<VaultSessionStore>().Lock(Session.Id, VaultLockReason.Idle);

        gate.WaitForAssertion(() => Assert.EndsWith("/account/sign-in?reason=idle", navigation.Uri, StringComparison.Ordinal));
    }

    [Fact]
    public void VaultGate_Navigation_CountsAsActivity()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        Render<VaultGate>();
        var before = Session.LastActivity;

        Time.Advance(TimeSpan.FromMinutes(10));
        navigation.NavigateTo("activity");

        Assert.Equal(before + TimeSpan.FromMinutes(10), Session.LastActivity);
    }

    [Fact]
    public void Drawer_OnAWideScreen_StartsBesideThePage_AndOnceClosedByHandStaysClosedAndOutOfReach()
    {
        JSInterop.Setup<bool>("creatorKeys.isWideScreen").SetResult(true);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var layout = RenderLayout();
        IElement Drawer() => layout.Find("#ck-navigation");
        IElement Button() => layout.Find("button[aria-controls=ck-navigation]");

        // Until the button is used the drawer follows the screen (MudBlazor's "initial" classes).
        Assert.Contains("mud-drawer--initial", Drawer().ClassList);
        Assert.Equal("true", Button().GetAttribute("aria-expanded"));
        Assert.Equal("Main menu", Button().GetAttribute("aria-label"));

        Button().Click();
        Assert.Contains("mud-drawer--closed", Drawer().ClassList);
        Assert.True(Drawer().HasAttribute("inert"));
        Assert.Contains("mud-drawer-close-responsive-md-left", layout.Find(".mud-layout").ClassList);
        Assert.Equal("false", Button().GetAttribute("aria-expanded"));

        navigation.NavigateTo("vault");
        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--closed", Drawer().ClassList));

        Button().Click();
        Assert.Contains("mud-drawer--open", Drawer().ClassList);
        Assert.DoesNotContain("mud-drawer--initial", Drawer().ClassList);
        Assert.False(Drawer().HasAttribute("inert"));
        Assert.Equal("true", Button().GetAttribute("aria-expanded"));
    }

    [Fact]
    public void Drawer_OnAPhone_StartsHidden_OpensOverThePage_AndClosesOnTheScrimOrAfterALink()
    {
        JSInterop.Setup<bool>("creatorKeys.isWideScreen").SetResult(false);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var layout = RenderLayout();
        IElement Drawer() => layout.Find("#ck-navigation");
        IElement Button() => layout.Find("button[aria-controls=ck-navigation]");

        Assert.Equal("false", Button().GetAttribute("aria-expanded"));
        Assert.Contains("mud-drawer--initial", Drawer().ClassList); // hidden below 960 px by MudBlazor's CSS
        Assert.Empty(layout.FindAll(".mud-drawer-overlay"));

        Button().Click();
        Assert.Equal("true", Button().GetAttribute("aria-expanded"));
        Assert.DoesNotContain("mud-drawer--initial", Drawer().ClassList);
        layout.Find(".mud-drawer-overlay").Click();
        Assert.Contains("mud-drawer--closed", Drawer().ClassList);
        Assert.Empty(layout.FindAll(".mud-drawer-overlay"));

        Button().Click();
        navigation.NavigateTo("vault");
        layout.WaitForAssertion(() => Assert.Contains("mud-drawer--initial", Drawer().ClassList));
        Assert.Empty(layout.FindAll(".mud-drawer-overlay"));
        Assert.Equal("false", Button().GetAttribute("aria-expanded"));
    }

    private IRenderedComponent<MainLayout> RenderLayout()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "The page"))));
    }
}
