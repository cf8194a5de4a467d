using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 21 §1 in a browser at desktop and phone width, against a fake OpenAI on loopback: a key checked right after
/// Add a key, and "Check all my keys" on the dashboard with its bar and summary. No serious axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyChecksBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task AddAKey_CheckItWithOpenAi_ThenCheckAllOnTheDashboard(string name, int width, int height)
    {
        using var openAi = WireMockServer.Start();
        var good = TestAccounts.NewKeyValue();
        var bad = TestAccounts.NewKeyValue();
        openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {good}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"list","data":[]}"""));
        openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {bad}"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""));
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = openAi.Url + "/" });
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"KeyChecks_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("vault");
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", good);

            var added = page.GetByTestId("just-added");
            await added.GetByRole(AriaRole.Button, new() { Name = "Check it with OpenAI" }).ClickAsync();
            await Assertions.Expect(added.GetByRole(AriaRole.Status)).ToContainTextAsync("Works: OpenAI accepted this key.");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());

            await BrowserJourney.AddKeyAsync(page, "OpenAI", "DEV", bad);
            await page.GotoAsync("");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Check all my keys" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("check-all-summary")).ToContainTextAsync("1 work · 1 refused: DEV — OpenAI");
            await Assertions.Expect(page.GetByTestId("check-all-progress")).ToHaveAttributeAsync("aria-label", "Checked 2 of 2 keys");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"key-checks-{name}-dashboard");

            Assert.Empty(violations);
        });
    }
}
