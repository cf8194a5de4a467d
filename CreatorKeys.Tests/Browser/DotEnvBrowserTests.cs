using System.Text.RegularExpressions;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 22 §5 in a real browser, on a laptop and a phone: Vault → "Download as .env" (typed PROD, confirm it's you,
/// a real download whose values read back), an empty folder that says so, and "Names by environment" with the PROD
/// workflow's missing key first, axe clean, without sideways scrolling.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DotEnvBrowserTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task DownloadAsEnv_AndNamesByEnvironment_Work(int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(DownloadAsEnv_AndNamesByEnvironment_Work)}_{width}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var session = app.OpenSessions().Single();
            var prodOpenAi = "sk-proj-it's \"quoted\" $HOME #x " + TestAccounts.NewKeyValue("");
            var prodReplicate = TestAccounts.NewKeyValue("r8_");
            await AddAsync(app, session, VaultEnvironment.Prod, "OPENAI_API_KEY", prodOpenAi);
            await AddAsync(app, session, VaultEnvironment.Prod, "REPLICATE_API_TOKEN", prodReplicate);
            var devVoice = await AddAsync(app, session, VaultEnvironment.Dev, "ELEVENLABS_API_KEY", TestAccounts.NewKeyValue());
            var (_, errors) = await app.Services.GetRequiredService<WorkflowService>().SaveAsync(session.AccountId, null,
                new WorkflowInput("Daily short", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(devVoice.Id, "ELEVENLABS_API_KEY")]), TestAccounts.Origin);
            Assert.Empty(errors);

            await page.GotoAsync("vault");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^PROD ") }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Download PROD as .env" }).ClickAsync();
            var ask = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(ask).ToContainTextAsync("real values");
            var download = ask.GetByRole(AriaRole.Button, new() { Name = "Download", Exact = true });
            await Assertions.Expect(download).ToBeDisabledAsync();
            await ask.GetByLabel("Type PROD to confirm").FillAsync("PROD");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"dotenv-ask-prod-{width}");

            var file = await page.RunAndWaitForDownloadAsync(async () =>
            {
                await download.ClickAsync();
                await BrowserJourney.ConfirmItsYouAsync(page);
            });

            Assert.Equal("creatorkeys-prod.env", file.SuggestedFilename);
            var parsed = DotEnvParser.Parse(await File.ReadAllTextAsync(await file.PathAsync()));
            Assert.Empty(parsed.Problems);
            Assert.Equal([("OPENAI_API_KEY", prodOpenAi), ("REPLICATE_API_TOKEN", prodReplicate)], parsed.Entries.Select(e => (e.Name, e.Value)));

            // An empty folder says there is nothing to download.
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^STAGING ") }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Download STAGING as .env" })).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByText("Nothing to download: STAGING has no keys in use.")).ToBeVisibleAsync();
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());

            // OPENAI_API_KEY in every folder now: the only name the filter below leaves out.
            await AddAsync(app, session, VaultEnvironment.Dev, "OPENAI_API_KEY", TestAccounts.NewKeyValue());
            await AddAsync(app, session, VaultEnvironment.Staging, "OPENAI_API_KEY", TestAccounts.NewKeyValue());

            // From the vault to the names page: the PROD workflow's missing key comes first, in words.
            await page.GetByRole(AriaRole.Link, new() { Name = "Names by environment: what PROD is missing" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Names by environment", Exact = true }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("prod-gaps")).ToContainTextAsync(
                "Workflow “Daily short” runs in PROD and reads ELEVENLABS_API_KEY, but PROD has no key with that name.");
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The page scrolls sideways.");
            await Assertions.Expect(page.GetByRole(AriaRole.Rowheader)).ToHaveCountAsync(3);
            await page.ScreenshotAsync($"dotenv-names-{width}");

            await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Only names missing somewhere") }).ClickAsync();
            await page.WaitForURLAsync(new Regex("missing=true"));
            // ELEVENLABS_API_KEY lacks STAGING and PROD, REPLICATE_API_TOKEN lacks DEV and STAGING.
            await Assertions.Expect(page.GetByRole(AriaRole.Rowheader)).ToHaveTextAsync(["ELEVENLABS_API_KEY", "REPLICATE_API_TOKEN"]);
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
        });
    }

    private static async Task<KeySummary> AddAsync(AppHost app, VaultSession session, VaultEnvironment environment, string exportName, string value)
    {
        var result = await app.Services.GetRequiredService<VaultService>().AddKeyAsync(session,
            new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — {exportName}", value, ExportName: exportName), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }
}
