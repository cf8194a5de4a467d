using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// axe-core on every page, at desktop and phone width, in light and dark theme: no serious
/// or critical violation is allowed. Each page is checked light, then dark on the spot (the dark
/// theme is the stylesheet's <c>:root.ck-dark</c>, switched by js/theme.js), so one sign-in and one
/// walk cover both. Screenshots land in bin/.../screenshots for review.
/// The same walk checks the Content-Security-Policy: the browser reports no refused script,
/// style, image, font or connection on any page, the Hangfire dashboard included.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser)
{
    private static readonly Regex DarkClass = new(@"\bck-dark\b");

    private static readonly string[] AppPages = ["", "setup", "providers", "vault", "vault/import", "vault/names", "workflows", "rotation", "rotation/leak-check", "reports", "activity", "settings", "notifications", "no-such-page"];

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task EveryPage_HasNoSeriousAccessibilityViolations(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        var refused = new List<string>();
        var sideways = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                refused.Add($"[{page.Url}] {message.Text}");
            }
        };

        // Light as the page loaded, then dark on the same page, then back: the dark palette is only CSS
        // (theme.js puts "ck-dark" on <html>), so switching in place checks exactly what a dark page shows.
        async Task CheckAsync(string label)
        {
            // A page wider than the screen makes a phone scroll sideways (a hidden table once did it on the dashboard).
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1])
            {
                sideways.Add($"[{name} {label}] {widths[0]} px wide in {widths[1]} px");
            }

            violations.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"[{name} {label} light] {v}"));
            await page.ScreenshotAsync($"a11y-{name}-{label}");
            await ChooseThemeAsync("dark");
            violations.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"[{name} {label} dark] {v}"));
            await page.ScreenshotAsync($"a11y-{name}-{label}-dark");
            await ChooseThemeAsync("light");
        }

        async Task ChooseThemeAsync(string theme)
        {
            await page.EvaluateAsync("theme => window.creatorKeysTheme.choose(theme)", theme);
            var html = Assertions.Expect(page.Locator("html"));
            await (theme == "dark" ? html.ToHaveClassAsync(DarkClass) : html.Not.ToHaveClassAsync(DarkClass));
        }

        await page.GotoAsync("account/sign-up");
        await CheckAsync("sign-up");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and vault" }).ClickAsync();
        await page.Locator(".validation-message").First.WaitForAsync();
        await CheckAsync("sign-up-errors");

        await BrowserJourney.SignUpAsync(page);
        await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", TestAccounts.NewKeyValue());
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        await CheckAsync("add-key-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Detached });

        foreach (var path in AppPages)
        {
            await page.GotoAsync(path);
            await page.WaitForInteractiveAsync();
            await page.Locator("h1").First.WaitForAsync();
            await CheckAsync(path.Length == 0 ? "dashboard" : path.Replace("/", "-", StringComparison.Ordinal));
        }

        // The key's own page and the workflow dialog.
        await page.GotoAsync("vault");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^PROD — OpenAI") }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Replace this key" }).WaitForAsync();
        await CheckAsync("key-detail");

        // The rotation page (/rotation/{id}) at step 1, then the rotation cancelled so the rest of the walk sees the vault as before.
        var rotationId = await RotationPage.StartAsync(app);
        await page.GotoAsync($"rotation/{rotationId}");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
        await CheckAsync("rotation-detail");
        await RotationPage.CancelAsync(app, rotationId);
        await page.GotoAsync("workflows");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a workflow" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        await CheckAsync("workflow-dialog");
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Detached });

        await page.GotoAsync("account/emergency-kit");
        await page.WaitForInteractiveAsync();
        await CheckAsync("emergency-kit");
        await page.GotoAsync("account/password");
        await CheckAsync("change-password");

        // The theme button: dark is applied at once, kept across pages (static account pages and Blazor's
        // enhanced navigation included), and the same button brings light back.
        await page.GotoAsync("vault");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).WaitForAsync();
        // The dark palette is on (theme.css's :root.ck-dark): the page background is AppTheme's dark one.
        await Assertions.Expect(page.Locator("html")).ToHaveClassAsync(DarkClass);
        Assert.Equal("rgb(18, 19, 28)", await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        await page.GotoAsync("");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).WaitForAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveClassAsync(DarkClass);
        // The account pages (static, their own layout) follow the choice too.
        await page.GotoAsync("account/password");
        await Assertions.Expect(page.Locator("html")).ToHaveClassAsync(DarkClass);
        // A link from a static page is followed by Blazor's enhanced navigation, which rewrites <html>: the theme stays.
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to settings" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/settings", StringComparison.Ordinal));
        await page.WaitForInteractiveAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveClassAsync(DarkClass);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).WaitForAsync();
        await Assertions.Expect(page.Locator("html")).Not.ToHaveClassAsync(DarkClass);

        // The scheduler's dashboard (the first account may open it) under the same policy.
        await page.GotoAsync("hangfire");
        await page.Locator("h1.page-header").WaitForAsync();
        await page.GotoAsync("");
        await page.WaitForInteractiveAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByText("You signed out").WaitForAsync();
        await CheckAsync("sign-in");
        await page.GotoAsync("account/recover");
        await CheckAsync("recover");

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        Assert.True(sideways.Count == 0, "Pages scroll sideways: " + string.Join(Environment.NewLine, sideways));
    }
}
