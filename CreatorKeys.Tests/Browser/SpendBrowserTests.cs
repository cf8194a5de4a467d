using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 21 §3 in a browser at desktop and phone width, against a fake OpenRouter on loopback: "Read spend now" on a
/// key's page shows the figure and its labelled bar, and the dashboard then lists the key as near its cap. No serious
/// axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SpendBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task KeyPage_ReadSpendNow_ThenTheDashboardFlagsTheKey(string name, int width, int height)
    {
        using var openRouter = WireMockServer.Start();
        var value = "sk-or-v1-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        openRouter.Given(Request.Create().WithPath("/api/v1/key").UsingGet().WithHeader("Authorization", $"Bearer {value}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":{"label":"sk-or-v1-abc...123","limit":20,"limit_remaining":2,"limit_reset":"monthly","usage":31,"usage_daily":1,"usage_weekly":6,"usage_monthly":18,"is_free_tier":false}}"""));
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = openRouter.Url + "/" });
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"Spend_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("vault");
            await BrowserJourney.AddKeyAsync(page, "OpenRouter", "PROD", value);
            Guid keyId;
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
            {
                keyId = await db.ApiKeys.Where(k => k.ProviderId == "openrouter").Select(k => k.Id).SingleAsync();
            }

            await page.GotoAsync($"vault/keys/{keyId}");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("spend-none")).ToHaveTextAsync("Not read yet.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Read spend now" }).ClickAsync();

            await Assertions.Expect(page.GetByTestId("spend-sentence")).ToContainTextAsync("Spent $18 of $20 this month (as of ");
            await Assertions.Expect(page.GetByTestId("spend-sentence")).ToContainTextAsync("against the limit OpenRouter reports for this key.");
            var bar = page.GetByRole(AriaRole.Progressbar, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Spend of ") });
            await Assertions.Expect(bar).ToHaveAttributeAsync("aria-valuetext", "90% of its limit used");
            await Assertions.Expect(page.GetByTestId("spend-flag")).ToHaveTextAsync("Near its cap:");
            Assert.DoesNotContain(value, await page.ContentAsync(), StringComparison.Ordinal);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"spend-{name}-key");

            await page.GotoAsync("");
            await page.WaitForInteractiveAsync();
            var card = page.GetByTestId("spend-card");
            await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = "Spend against the cap" })).ToBeVisibleAsync();
            await Assertions.Expect(card.GetByTestId("spend-near-count")).ToHaveTextAsync("1 key is at 80% of its cap or more.");
            await Assertions.Expect(card.GetByRole(AriaRole.Progressbar)).ToHaveAttributeAsync("aria-valuetext", "90% of its limit used");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"spend-{name}-dashboard");

            Assert.Empty(violations);
        });
    }
}
