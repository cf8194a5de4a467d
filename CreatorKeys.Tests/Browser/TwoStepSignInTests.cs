using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// An install that requires two-step sign-in, in a real browser: the new account is sent to set
/// it up, scans (types) the key, gets recovery codes, and signs in with password + app code.
/// axe-core checks the new pages at desktop and phone width.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TwoStepSignInTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task RequiredTwoStep_IsSetUpRightAfterSignUp_ThenSignInAsksForTheAppCode(string name, int width, int height)
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time, settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:RequireTwoFactor"] = "true" });
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        var violations = new List<string>();

        async Task CheckAsync(string label)
        {
            violations.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"[{name} {label}] {v}"));
            await page.ScreenshotAsync($"two-step-{name}-{label}");
        }

        await BrowserJourney.SignUpAndSaveKitAsync(page);

        // The install requires it: the vault waits until two-step sign-in is on.
        await page.GetByText("This install requires two-step sign-in").WaitForAsync();
        // Changing two-step sign-in asks for the password first; the app's key is shown only after it.
        await page.GetByRole(AriaRole.Heading, new() { Name = "Confirm it's you" }).WaitForAsync();
        Assert.Equal(0, await page.GetByTestId("authenticator-key").CountAsync());
        await CheckAsync("confirm");
        await page.GetByLabel("Your password").FillAsync("not my password at all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByText("That is not your password.").WaitForAsync();
        await page.GetByLabel("Your password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByTestId("authenticator-key").WaitForAsync();
        await CheckAsync("setup");
        var key = await page.GetByTestId("authenticator-key").TextContentAsync();
        await page.GetByLabel("6-digit code").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        await page.GetByText("That code did not match").WaitForAsync();
        await page.GetByLabel("6-digit code").FillAsync(TestAccounts.AuthenticatorCode(key!, time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-step sign-in" }).ClickAsync();
        var codes = page.GetByTestId("recovery-codes");
        await codes.WaitForAsync();
        Assert.Equal(10, await codes.Locator("li").CountAsync());
        await CheckAsync("recovery-codes");

        await page.GetByRole(AriaRole.Link, new() { Name = "Continue to your vault" }).ClickAsync();
        await page.WaitForInteractiveAsync();
        await page.GotoAsync("vault");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GetByText("You signed out").WaitForAsync();

        await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
        await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "One more step" }).WaitForAsync();
        Assert.Empty(app.OpenSessions());
        await CheckAsync("sign-in-code");

        time.Advance(TimeSpan.FromSeconds(30));
        await page.GetByLabel("Code from your authenticator app, or a recovery code").FillAsync(TestAccounts.AuthenticatorCode(key!, time.GetUtcNow()));
        await page.GetByRole(AriaRole.Button, new() { Name = "Unlock my vault" }).ClickAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).WaitForAsync();
        Assert.Single(app.OpenSessions());

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }
}
