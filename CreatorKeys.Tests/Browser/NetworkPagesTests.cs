using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The pages this install shows when other computers can reach it: the setup code on the first
/// sign-up, and "Sign out everywhere" in Settings and after signing out, which locks another
/// browser's open page at once. axe-clean at desktop and phone width, with screenshots.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class NetworkPagesTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task SetupCode_ThenSignOutEverywhere_LocksTheOtherBrowser(string name, int width, int height)
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Email:BaseAddress"] = "http://vault.example.test" });
        var code = CodePattern().Match(app.Logs.Lines.Single(l => l.Contains("one-time setup code", StringComparison.Ordinal))).Groups[1].Value;
        await using var laptop = await browser.NewContextAsync(app.BaseAddress, width, height);
        await using var phone = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await laptop.NewPageAsync();
        var violations = new List<string>();

        async Task CheckAsync(string label)
        {
            violations.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"[{name} {label}] {v}"));
            await page.ScreenshotAsync($"network-{name}-{label}");
        }

        await page.GotoAsync("account/sign-up");
        await CheckAsync("setup-code");
        await FillSignUpAsync(page, "WRNG-CODE-WRNG-CODE");
        await page.GetByText("That is not the setup code.").WaitForAsync();
        await CheckAsync("setup-code-wrong");
        Assert.Equal(0, app.AccountCount());

        await FillSignUpAsync(page, code);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Save your emergency kit" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("I have saved my emergency kit somewhere safe").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to my vault" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();

        var other = await phone.NewPageAsync();
        await BrowserJourney.SignInAsync(other);
        await other.GotoAsync("vault");
        await other.WaitForInteractiveAsync();

        await page.GotoAsync("settings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).WaitForAsync();
        await CheckAsync("settings");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await page.GetByText("You signed out and your vault is locked.").WaitForAsync();
        await CheckAsync("signed-out-offer");
        Assert.Single(app.OpenSessions());

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out everywhere" }).ClickAsync();
        await page.GetByText("You signed out everywhere").WaitForAsync();
        await CheckAsync("signed-out-everywhere");

        // The other browser's open page is sent to sign-in at once, with the reason.
        await other.WaitForURLAsync(new Regex("account/sign-in\\?reason=signed-out-everywhere"));
        await other.GetByText("You signed out everywhere").WaitForAsync();
        Assert.Empty(app.OpenSessions());
        Assert.Empty(violations);
    }

    private static async Task FillSignUpAsync(IPage page, string code)
    {
        await page.GetByLabel("Setup code").FillAsync(code);
        await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestAccounts.Password);
        await page.GetByLabel("Type the password again").FillAsync(TestAccounts.Password);
        await page.GetByLabel("I understand").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and vault" }).ClickAsync();
    }

    [GeneratedRegex(@"sign-up page: ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})")]
    private static partial Regex CodePattern();
}
