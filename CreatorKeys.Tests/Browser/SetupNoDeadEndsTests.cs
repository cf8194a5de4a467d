using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The guided setup at desktop and phone width, as a person clicks it (issue 20): every step name
/// can be seen, a stored key is confirmed in its slot without toasts, the first caps save without
/// typing PROD, the summary stacks instead of scrolling sideways, and its own button leads to the
/// dashboard. Settings keeps the technical words behind "Technical details".
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class SetupNoDeadEndsTests(BrowserFixture browser)
{
    private static readonly string[] StepNames = ["Your services", "Keys", "Spend caps", "Summary"];
    private static readonly string[] Environments = ["DEV", "STAGING", "PROD"];

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task GuidedSetup_EveryStepReachable_SummaryLeadsToTheDashboard(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"GuidedSetup_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("setup");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "OpenAI" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: keys" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Create a separate key for each environment" }).WaitForAsync();

            // All four step names fit on the screen: none is hidden in a strip that scrolls sideways.
            await StepName(page, StepNames[0]).ScrollIntoViewIfNeededAsync();
            foreach (var step in StepNames)
            {
                await Assertions.Expect(StepName(page, step)).ToBeInViewportAsync(new() { Ratio = 1 });
            }

            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"setup-no-dead-ends-{name}-keys");

            // Each stored key is confirmed in its own slot; no toast piles up over the page.
            foreach (var environment in Environments)
            {
                var slot = page.GetByTestId($"slot-openai-{environment}");
                await page.GetByLabel($"{environment} key for OpenAI").FillAsync(TestAccounts.NewKeyValue());
                await page.GetByRole(AriaRole.Button, new() { Name = $"Save the {environment} OpenAI key" }).ClickAsync();
                // (the slot's own status line; "Check it with OpenAI" beside it has its own, for the check's answer)
                await Assertions.Expect(slot.Locator(".ck-slot-status")).ToHaveTextAsync("Stored and encrypted just now.");
            }

            await Assertions.Expect(page.Locator(".mud-snackbar")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByText("3 of 3 stored").First).ToBeVisibleAsync();

            // The first caps of keys nothing uses yet save without typing PROD.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: spend caps" }).ClickAsync();
            await page.GetByLabel("PROD cap for OpenAI").FillAsync("150");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Done: I set these caps at OpenAI" }).CheckAsync();
            await Assertions.Expect(page.GetByTestId("caps-OpenAI")).ToContainTextAsync("Done at the provider");
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

            // The summary stacks on a phone: the PROD cell is on screen, and nothing scrolls sideways.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: summary" }).ClickAsync();
            await page.GetByText("3 of 3 keys are stored and encrypted.").WaitForAsync();
            var prodCell = page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Cell, new() { Name = "Stored, cap $150" });
            await prodCell.ScrollIntoViewIfNeededAsync();
            await Assertions.Expect(prodCell).ToBeInViewportAsync(new() { Ratio = 1 });
            Assert.Empty(await page.EvaluateAsync<string[]>(SidewaysScrollers));
            if (width < 600)
            {
                // Stacked like the app's other small tables: one line per environment, PROD below DEV, not beside it.
                var dev = await page.GetByRole(AriaRole.Table).GetByRole(AriaRole.Cell, new() { Name = "Stored, cap $5" }).BoundingBoxAsync();
                var prod = await prodCell.BoundingBoxAsync();
                Assert.True(prod!.Y >= dev!.Y + dev.Height - 1, $"PROD is beside DEV (DEV at {dev.X},{dev.Y}; PROD at {prod.X},{prod.Y}).");
            }

            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"setup-no-dead-ends-{name}-summary");

            // The summary's own button is a link to the dashboard.
            await page.GetByRole(AriaRole.Link, new() { Name = "Go to the dashboard" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(app.BaseAddress.ToString());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true })).ToBeVisibleAsync();

            // Settings says it plainly; the technical words wait behind a disclosure the keyboard can open.
            // (Once the page is live: going live replaces the prerendered page, which closes a disclosure opened before.)
            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByText("Stretched so guessing it is slow")).ToBeHiddenAsync();
            await page.GetByText("Advanced — for whoever runs this CreatorKeys", new() { Exact = true }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await page.GetByText("Stretched so guessing it is slow").WaitForAsync();
            await Assertions.Expect(page.GetByText(Technical())).ToBeHiddenAsync();
            await page.GetByText("Technical details", new() { Exact = true }).FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(page.GetByText(Technical())).ToBeVisibleAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"setup-no-dead-ends-{name}-settings");

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    /// <summary>What scrolls sideways: the page itself, or any region in it whose content is wider than its box.</summary>
    private const string SidewaysScrollers =
        "() => [document.documentElement, ...document.querySelectorAll('main *')]" +
        ".filter(e => (e === document.documentElement || ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) && e.scrollWidth > e.clientWidth + 1)" +
        ".map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} is ${e.scrollWidth}px wide in ${e.clientWidth}px`)";

    private static ILocator StepName(IPage page, string name) =>
        page.Locator(".ck-stepper .mud-step-label-content-title").GetByText(name, new() { Exact = true });

    [GeneratedRegex("PBKDF2-HMAC-SHA256")]
    private static partial Regex Technical();
}
