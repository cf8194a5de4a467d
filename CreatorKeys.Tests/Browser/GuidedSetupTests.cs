using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>A new creator's guided setup, and importing a .env file, in a real browser.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class GuidedSetupTests(BrowserFixture browser)
{
    [Fact]
    public async Task NewCreator_AuditsTwoProvidersStoresSixKeysSetsCaps_ScoreRises()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync("NewCreator_AuditsTwoProvidersStoresSixKeysSetsCaps_ScoreRises", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            var before = await ScoreAsync(page);

            // Step 1: audit.
            await page.GotoAsync("setup");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: keys" }).ClickAsync();
            await page.GetByText("Tick at least one service you use before going on.").WaitForAsync();
            await page.GetByLabel("Search services").FillAsync("eleven");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "ElevenLabs" }).CheckAsync();
            await page.GetByLabel("Search services").FillAsync("");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "OpenAI" }).CheckAsync();
            await Assertions.Expect(page.GetByText("2 picked")).ToBeVisibleAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("setup-1-audit");

            // Step 2: three keys each.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: keys" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Create a separate key for each environment" }).WaitForAsync();
            await page.ScreenshotAsync("setup-2-keys");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            foreach (var (provider, makeKey) in new (string, Func<string>)[] { ("OpenAI", () => TestAccounts.NewKeyValue()), ("ElevenLabs", ElevenLabsKey) })
            {
                foreach (var environment in CreatorKeys.Core.Vault.VaultEnvironments.All.Select(e => CreatorKeys.Core.Vault.VaultEnvironments.Code(e)))
                {
                    await page.GetByLabel($"{environment} key for {provider}").FillAsync(makeKey());
                    await page.GetByRole(AriaRole.Button, new() { Name = $"Save the {environment} {provider} key" }).ClickAsync();
                    await page.GetByLabel($"{environment} key for {provider}").WaitForAsync(new() { State = WaitForSelectorState.Detached });
                }
            }

            await Assertions.Expect(page.GetByText("6 of 6 stored")).ToBeVisibleAsync();
            Assert.Equal(6, await page.GetByText(StoredAs()).CountAsync());

            // Step 3: caps (DEV and STAGING come suggested) and the budget.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: spend caps" }).ClickAsync();
            await page.GetByLabel("Budget in US dollars per month").FillAsync("500");
            await page.GetByLabel("Budget in US dollars per month").PressAsync("Tab");
            await page.GetByText("Budget saved: $500 a month.").WaitForAsync();
            // One service at a time, in the order they were picked, saved as you go; the first caps of keys nothing uses
            // yet need no PROD typed.
            foreach (var (service, prodCap) in new[] { ("ElevenLabs", "99"), ("OpenAI", "150") })
            {
                await Assertions.Expect(page.GetByLabel($"DEV cap for {service}")).ToHaveValueAsync("5");
                await Assertions.Expect(page.GetByLabel($"STAGING cap for {service}")).ToHaveValueAsync("20");
                await page.GetByLabel($"PROD cap for {service}").FillAsync(prodCap);
                await page.GetByRole(AriaRole.Checkbox, new() { Name = $"Done: I set these caps at {service}" }).CheckAsync();
                await Assertions.Expect(page.GetByTestId($"caps-{service}")).ToContainTextAsync("Done at the provider");
            }

            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("setup-3-caps");

            // Step 4: summary.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: summary" }).ClickAsync();
            await page.GetByText("6 of 6 keys are stored and encrypted.").WaitForAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("setup-4-summary");

            var savedBefore = (await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<CreatorKeys.Core.Setup.SetupService>(app.Services).GetAsync(app.OpenSessions()[0].AccountId)).Step;
            Assert.True(3 == savedBefore, string.Join("\n", app.Logs.Lines.Where(l => l.Contains("DEBUG"))));

            // The dashboard score rose to the top.
            var after = await ScoreAsync(page);
            await page.ScreenshotAsync("setup-5-dashboard");
            Assert.True(after > before, $"Score went from {before} to {after}.");
            Assert.Equal(80, after); // everything but the two workflow habits, which need workflows recorded

            // Coming back resumes at the step where the creator stopped.
            await page.GotoAsync("setup");
            await page.WaitForInteractiveAsync();
            await page.GetByText("6 of 6 keys are stored and encrypted.").WaitForAsync();
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    [Fact]
    public async Task SkippedSlot_ShowsAsAGapOnTheDashboard()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync("SkippedSlot_ShowsAsAGapOnTheDashboard", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("setup");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Runway" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: keys" }).ClickAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Skip for now: STAGING Runway key" }).ClickAsync();
            await page.GetByText("Skipped for now. It shows as a gap on your dashboard.").WaitForAsync();

            await page.GotoAsync("");
            var check = page.GetByTestId("check-ThreeKeysPerProvider");
            await Assertions.Expect(check).ToContainTextAsync("Runway (DEV, STAGING, PROD)");
        });
    }

    [Fact]
    public async Task ImportDotEnv_WithMixedEnvironments_StoresWhatWasConfirmed()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync("ImportDotEnv_WithMixedEnvironments_StoresWhatWasConfirmed", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var openAiDev = TestAccounts.NewKeyValue();
            var openAiProd = TestAccounts.NewKeyValue();
            var elevenStaging = ElevenLabsKey();
            var file = Path.Combine(app.Folder.Path, "creator.env");
            await File.WriteAllTextAsync(file,
                $"# my pipeline\r\nexport OPENAI_API_KEY_DEV=\"{openAiDev}\"\r\nOPENAI_API_KEY_PROD={openAiProd}\r\nELEVENLABS_KEY_STAGING='{elevenStaging}'\r\nPORT=3000\r\nthis line is broken\r\n");

            await page.GotoAsync("vault/import");
            await page.WaitForInteractiveAsync();
            await page.Locator("input[type=file]").SetInputFilesAsync(file);
            await page.GetByText("Check each line, change any guess").WaitForAsync();
            await page.GetByText("Line 6: This line has no “=”").WaitForAsync();
            Assert.DoesNotContain(openAiDev, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.False(await page.GetByRole(AriaRole.Checkbox, new() { Name = "Import PORT" }).IsCheckedAsync());
            Assert.Empty(await VaultKeysAsync(app));
            await page.ScreenshotAsync("import-preview");
            var violations = await page.SeriousAccessibilityViolationsAsync();

            // Change one guess: the creator decides the DEV OpenAI key is really for STAGING.
            await page.GetByRole(AriaRole.Combobox, new() { Name = "Environment for OPENAI_API_KEY_DEV" }).ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "STAGING" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Import 3 keys" }).ClickAsync();
            await page.GetByText("Stored 3 keys, encrypted.").WaitForAsync();

            var keys = await VaultKeysAsync(app);
            Assert.Equal(
                [("ElevenLabs", "STAGING"), ("OpenAI", "PROD"), ("OpenAI", "STAGING")],
                keys.Select(k => (k.ProviderName, k.Environment.ToString().ToUpperInvariant())).Order().ToArray());
            Assert.Contains(keys, k => k.Label.StartsWith("STAGING — OpenAI — Imported", StringComparison.Ordinal));
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(openAiProd, StringComparison.Ordinal));
        });
    }

    private static async Task<int> ScoreAsync(IPage page)
    {
        await page.GotoAsync("");
        var score = page.GetByTestId("security-score");
        await score.WaitForAsync();
        return int.Parse(Regex.Match(await score.GetAttributeAsync("aria-label") ?? "", @"\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<CreatorKeys.Core.Vault.KeySummary>> VaultKeysAsync(AppHost app)
    {
        var session = Assert.Single(app.OpenSessions());
        return await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions
            .GetRequiredService<CreatorKeys.Core.Vault.VaultService>(app.Services).ListKeysAsync(session.AccountId);
    }

    private static string ElevenLabsKey() => "sk_" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")[..16];

    [GeneratedRegex("Stored as “")]
    private static partial Regex StoredAs();

}
