using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// "Replace my vault key" from Settings in a real browser at desktop and phone width: confirm it's you, a weak new
/// password is refused with nothing changed, then the replacement ends on a new emergency kit, and the key stored
/// before still reveals. axe-core checks the card's form and the kit page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReplaceVaultKeyBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task ReplaceVaultKey_FromSettings_EndsOnANewKit_AndTheKeyStillReveals(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        var value = TestAccounts.NewKeyValue();

        await page.StepsAsync($"{nameof(ReplaceVaultKey_FromSettings_EndsOnANewKit_AndTheKeyStillReveals)}-{name}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "DEV", value);

            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            var card = page.GetByTestId("replace-vault-key");
            await Assertions.Expect(card).ToContainTextAsync("copy of the data folder (or a server backup of it) made before now still opens");
            await card.GetByRole(AriaRole.Button, new() { Name = "Replace my vault key" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);

            // A weak new password: said next to the field, nothing changed.
            await card.GetByLabel("Your current password").FillAsync(TestAccounts.Password);
            await card.GetByLabel("Also choose a new password").CheckAsync();
            await card.GetByLabel("New password", new() { Exact = true }).FillAsync("password1");
            await card.GetByLabel("Type the new password again").FillAsync("password1");
            await card.GetByRole(AriaRole.Button, new() { Name = "Replace the vault key now" }).ClickAsync();
            await Assertions.Expect(card).ToContainTextAsync("Nothing was changed.", new() { Timeout = 30_000 });
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"replace-vault-key-{name}");

            // Keeping the password: the replacement runs and the new kit follows.
            await card.GetByLabel("Also choose a new password").UncheckAsync();
            await card.GetByLabel("Your current password").FillAsync(TestAccounts.Password);
            await card.GetByRole(AriaRole.Button, new() { Name = "Replace the vault key now" }).ClickAsync();
            await page.WaitForURLAsync(new Regex("account/emergency-kit\\?after=vault-key"), new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("vault-key-replaced")).ToContainTextAsync("Your vault key is replaced");
            await Assertions.Expect(page.GetByTestId("recovery-code")).ToBeVisibleAsync();
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());

            // The kit is saved as after sign-up, and the key stored before reveals with the new vault key.
            await page.GetByLabel("I have saved my emergency kit somewhere safe").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue to my vault" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^DEV") }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Reveal DEV") }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("revealed-value")).ToHaveTextAsync(value);
        });
    }
}
