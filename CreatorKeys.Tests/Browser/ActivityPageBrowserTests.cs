using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>The Activity page's check, as a creator uses it on a laptop and a phone: the code to keep, a mistyped code, the disclosure.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ActivityPageBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("laptop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task Activity_KeptCodeAndTechnicalDetails_WorkByKeyboard_AndPassAxe(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(Activity_KeptCodeAndTechnicalDetails_WorkByKeyboard_AndPassAxe)}-{name}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("activity");
            await page.WaitForInteractiveAsync();
            var code = (await page.GetByTestId("checkpoint-code").TextContentAsync())!.Trim();
            Assert.True(CreatorKeys.Core.Audit.ActivityCheckpointCode.TryParse(code, out _), code);
            await Assertions.Expect(page.GetByText("HMAC-SHA256", new() { Exact = false })).Not.ToBeVisibleAsync();

            var field = page.GetByLabel("Check against a code you kept");
            await field.FillAsync("42-7F3A");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check this code" }).ClickAsync();
            await Assertions.Expect(page.GetByText("That is not a checkpoint code")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("verify-result")).ToHaveCountAsync(0);

            await field.FillAsync(code);
            await page.GetByRole(AriaRole.Button, new() { Name = "Check this code" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("verify-result")).ToContainTextAsync("Your code proves nothing up to entry");

            // The disclosure opens from the keyboard.
            await page.Locator("[data-testid='technical-details'] summary").FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.GetByText("HMAC-SHA256", new() { Exact = false })).ToBeVisibleAsync();
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"activity-check-{name}");
        });
    }
}
