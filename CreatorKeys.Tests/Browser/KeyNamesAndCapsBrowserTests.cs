using System.Text.RegularExpressions;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 24: a second key with the same name is refused where it is typed, and the spend caps save as the creator
/// goes, with no save button, on a laptop and a phone.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class KeyNamesAndCapsBrowserTests(BrowserFixture browser)
{
    private const string Name = "PROD — OpenAI — Created 2026-01-05";

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task AddKey_ASecondIdenticalName_IsRefusedNextToTheField(int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(AddKey_ASecondIdenticalName_IsRefusedNextToTheField)}-{width}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("vault");
            await page.WaitForInteractiveAsync();
            await AddProdOpenAiKeyAsync(page, Name);
            await page.GetByRole(AriaRole.Dialog).WaitForAsync(new() { State = WaitForSelectorState.Detached });

            // The same name again, only in other case and spacing.
            await AddProdOpenAiKeyAsync(page, "prod — openai —  created 2026-01-05");

            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog.GetByText("Another PROD OpenAI key is already named")).ToBeVisibleAsync();
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"key-name-refused-{width}");
            var session = Assert.Single(app.OpenSessions());
            Assert.Single(await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId));
        });
    }

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Caps_SavedWhenLeavingTheFieldAndTicking_WithNoSaveButton_AndStillThereAfterAReload(int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(Caps_SavedWhenLeavingTheFieldAndTicking_WithNoSaveButton_AndStillThereAfterAReload)}-{width}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var session = Assert.Single(app.OpenSessions());
            await app.Services.GetRequiredService<SetupService>().SaveProvidersAsync(session.AccountId, ["openai"], TestAccounts.Origin);
            await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
            await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);

            await page.GotoAsync("setup?step=caps");
            await page.WaitForInteractiveAsync();
            await page.GetByLabel("PROD cap for OpenAI").WaitForAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = SaveButton() })).ToHaveCountAsync(0);

            // Type a cap and leave the field: stored.
            await page.GetByLabel("PROD cap for OpenAI").FillAsync("150");
            await page.GetByLabel("PROD cap for OpenAI").PressAsync("Tab");
            await Assertions.Expect(page.GetByText("Saved; set it at the provider")).ToBeVisibleAsync();
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByLabel("PROD cap for OpenAI")).ToHaveValueAsync("150");

            // Tick the service done: the suggested DEV cap is stored too, and both count as set at the provider.
            await Assertions.Expect(page.GetByLabel("DEV cap for OpenAI")).ToHaveValueAsync("5");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Done: I set these caps at OpenAI" }).CheckAsync();
            await Assertions.Expect(page.GetByTestId("caps-OpenAI")).ToContainTextAsync("Done at the provider");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"setup-3-caps-{width}");
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("caps-OpenAI")).ToContainTextAsync("Done at the provider");

            var keys = await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId);
            Assert.Equal(150m, keys.Single(k => k.Environment == VaultEnvironment.Prod).MonthlyCapUsd);
            Assert.Equal(5m, keys.Single(k => k.Environment == VaultEnvironment.Dev).MonthlyCapUsd);
            Assert.All(keys, k => Assert.True(k.CapSetAtProvider));
        });
    }

    private static async Task AddProdOpenAiKeyAsync(IPage page, string name)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var service = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Service" });
        await service.FillAsync("OpenAI");
        await service.PressAsync("Tab");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "PROD" }).CheckAsync();
        var field = dialog.GetByLabel("Name");
        await Assertions.Expect(field).ToHaveValueAsync(new Regex("^PROD — OpenAI — Created "));
        await field.FillAsync(name);
        await dialog.GetByLabel("Key value").FillAsync(TestAccounts.NewKeyValue());
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
    }

    [GeneratedRegex("^Save")]
    private static partial Regex SaveButton();
}
