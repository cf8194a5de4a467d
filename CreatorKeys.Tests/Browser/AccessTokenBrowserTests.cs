using System.Net;
using System.Text.Json;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Settings → Access tokens in a real browser at desktop and phone width: confirm it's you, create a DEV token, see it
/// once, then a program (HttpClient) reads the key with it. axe-core checks the card with the new token showing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessTokenBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task CreateToken_FromSettings_ShownOnce_AndAProgramReadsTheKeyWithIt(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        var value = TestAccounts.NewKeyValue();

        await page.StepsAsync($"{nameof(CreateToken_FromSettings_ShownOnce_AndAProgramReadsTheKeyWithIt)}-{name}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "DEV", value);

            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            var card = page.GetByTestId("access-tokens");
            await Assertions.Expect(card).ToContainTextAsync("An access token lets one program read the keys of one folder");
            await card.GetByRole(AriaRole.Button, new() { Name = "Create an access token" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);

            await card.GetByLabel("Name (where it is used)").FillAsync("n8n on laptop");
            await card.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
            var shown = card.GetByTestId("new-token");
            await Assertions.Expect(shown).ToContainTextAsync("shown only this once", new() { Timeout = 30_000 });
            var token = await shown.GetByLabel("Your new access token").InputValueAsync();
            Assert.StartsWith("ck_dev_", token, StringComparison.Ordinal);
            await Assertions.Expect(card.GetByTestId("token-row")).ToContainTextAsync("n8n on laptop");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"access-token-{name}");

            // A program uses it.
            using var api = new HttpClient { BaseAddress = app.BaseAddress };
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await api.GetAsync("api/v1/secrets/OPENAI_API_KEY");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(value, json.RootElement.GetProperty("value").GetString());

            // Saved: the token is gone from the page for good; revoking stops the program at once.
            await card.GetByRole(AriaRole.Button, new() { Name = "I saved it" }).ClickAsync();
            await Assertions.Expect(card.GetByTestId("new-token")).ToHaveCountAsync(0);
            await card.GetByRole(AriaRole.Button, new() { Name = "Revoke n8n on laptop" }).ClickAsync();
            await Assertions.Expect(card.GetByTestId("token-row")).ToContainTextAsync("revoked");
            Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("api/v1/secrets")).StatusCode);
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
        });
    }
}
