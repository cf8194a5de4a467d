using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The "Confirm it's you" dialog in a real browser at desktop and phone width: a DEV key reveals without it, a
/// PROD key asks; the focus starts in the password field, Escape cancels, Enter submits, a wrong password says so,
/// the right one reveals, and inside the 10 minutes nothing asks again. axe-core checks the open dialog.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfirmItsYouTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task RevealProdKey_AsksOnce_KeyboardOnly_DevKeyNeverAsks(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        var prodValue = TestAccounts.NewKeyValue();
        var devValue = TestAccounts.NewKeyValue();

        await page.StepsAsync($"{nameof(RevealProdKey_AsksOnce_KeyboardOnly_DevKeyNeverAsks)}-{name}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "DEV", devValue);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", prodValue);
            var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm it's you" });

            // DEV: no question.
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^DEV") }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Reveal DEV") }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("revealed-value")).ToHaveTextAsync(devValue);
            Assert.Equal(0, await dialog.CountAsync());

            // PROD: asked, and the focus is already in the field.
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new System.Text.RegularExpressions.Regex("^PROD") }).ClickAsync();
            var reveal = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Reveal PROD") });
            await reveal.ClickAsync();
            await dialog.WaitForAsync();
            await Assertions.Expect(dialog).ToContainTextAsync("Type your password to continue.");
            await Assertions.Expect(dialog).ToContainTextAsync("will not ask again for 10 minutes");
            await Assertions.Expect(dialog.GetByLabel("Your password")).ToBeFocusedAsync();
            await page.WaitForAnimationsAsync();
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"confirm-its-you-{name}");

            // Escape cancels: nothing shown.
            await page.Keyboard.PressAsync("Escape");
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            Assert.DoesNotContain(prodValue, await page.ContentAsync(), StringComparison.Ordinal);

            // A wrong password, by keyboard: a message next to the field, still no value.
            await reveal.ClickAsync();
            await Assertions.Expect(dialog.GetByLabel("Your password")).ToBeFocusedAsync();
            await page.Keyboard.TypeAsync("not my password at all");
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(dialog).ToContainTextAsync("That is not your password.", new() { Timeout = 30_000 });
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"confirm-its-you-{name}-wrong");
            Assert.DoesNotContain(prodValue, await page.ContentAsync(), StringComparison.Ordinal);

            // The right one reveals.
            await dialog.GetByLabel("Your password").FillAsync(TestAccounts.Password);
            await page.Keyboard.PressAsync("Enter");
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("revealed-value")).ToHaveTextAsync(prodValue);

            // Inside the window: copying asks nothing.
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Copy PROD") }).ClickAsync();
            await page.GetByText("copied").WaitForAsync();
            Assert.Equal(0, await dialog.CountAsync());
        });
    }
}
