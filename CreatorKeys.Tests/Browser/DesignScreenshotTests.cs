using System.Text.RegularExpressions;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The screenshots the user guide shows (docs/screenshots), taken from a realistic account (<see cref="DesignAccount"/>):
/// the dashboard, every setup step, the vault, a key's page, every rotation step, reports, activity and settings,
/// each at 1280 and 390 px as <c>&lt;page&gt;-1280.png</c> / <c>&lt;page&gt;-390.png</c> in the test output's
/// screenshots folder. Each page must also pass axe with no serious or critical finding, so this is a test, not
/// only a camera. Copy a fresh set into docs/screenshots after a change to the look.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DesignScreenshotTests(BrowserFixture browser)
{
    private static readonly (int Width, int Height)[] Widths = [(1280, 900), (390, 844)];

    /// <summary>The visible filled buttons and button-links on the page, by their text.</summary>
    private const string FilledButtons = """
        () => [...document.querySelectorAll('.mud-button-filled')]
            .filter(b => b.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true }))
            .map(b => b.textContent.trim())
        """;

    [Fact]
    public async Task EveryPageAtBothWidths_IsAxeCleanAndSavedForTheGuide()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        var violations = new List<string>();
        var saved = new List<string>();
        await page.StepsAsync(nameof(EveryPageAtBothWidths_IsAxeCleanAndSavedForTheGuide), async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var account = await DesignAccount.FillAsync(app);

            async Task ShootAsync(string name, string path, Func<Task>? arrange = null)
            {
                foreach (var (width, height) in Widths)
                {
                    // A fresh load at each width: the menu beside or over the page is chosen as the page starts.
                    await page.SetViewportSizeAsync(width, height);
                    await page.GotoAsync(path);
                    await page.WaitForInteractiveAsync();
                    await page.Locator("h1").First.WaitForAsync();
                    await page.Locator(".mud-progress-linear").First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
                    if (arrange is not null)
                    {
                        await arrange();
                    }

                    violations.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"[{name} {width}] {v}"));
                    // One filled (primary) action per view: the others are outlined or text buttons.
                    var filled = await page.EvaluateAsync<string[]>(FilledButtons);
                    if (filled.Length > 1)
                    {
                        violations.Add($"[{name} {width}] {filled.Length} filled buttons: {string.Join(" | ", filled)}");
                    }

                    await page.ScreenshotAsync($"{name}-{width}");
                    saved.Add($"{name}-{width}");
                }
            }

            await ShootAsync("dashboard", "");

            // Setup, step by step ("Next: …" moves on).
            await ShootAsync("setup-1-services", "setup", () => GoToSetupStepAsync(page, 0));
            await ShootAsync("setup-2-keys", "setup", () => GoToSetupStepAsync(page, 1));
            await ShootAsync("setup-3-caps", "setup", () => GoToSetupStepAsync(page, 2));
            await ShootAsync("setup-4-summary", "setup", () => GoToSetupStepAsync(page, 3));

            await ShootAsync("vault", "vault", () => page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^PROD ") }).ClickAsync());
            await ShootAsync("key", $"vault/keys/{account.OpenAiProd.Id}");
            await ShootAsync("names", "vault/names");
            await ShootAsync("workflows", "workflows");
            await ShootAsync("rotation", "rotation");

            // A rotation of the OpenAI PROD key (used by "Avatar video"), shot at each step.
            var rotations = app.Services.GetRequiredService<RotationService>();
            var accountId = account.Session.AccountId;
            var rotation = (await rotations.StartAsync(accountId, account.OpenAiProd.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
            await ShootAsync("rotation-1-new-key", $"rotation/{rotation}");
            var (_, added) = await rotations.AddNewKeyAsync(account.Session, rotation, $"{account.OpenAiProd.Label} (new)",
                DesignAccount.ValueFor(ProviderCatalog.Shipped.Find("openai")!), TestAccounts.Origin, acceptShapeWarning: true);
            Assert.True(added?.Succeeded, "The new key was not saved: " + string.Join(" ", added?.Errors.Values ?? []));
            var task = Assert.Single((await rotations.GetAsync(accountId, rotation))!.Tasks);
            await rotations.SetUpdatedAsync(accountId, rotation, task.Id, true, TestAccounts.Origin);
            await ShootAsync("rotation-2-workflows", $"rotation/{rotation}");
            await rotations.SetTestedAsync(accountId, rotation, task.Id, true, TestAccounts.Origin);
            Assert.True((await rotations.ContinueToRetireAsync(accountId, rotation)).Rotation is not null);
            await ShootAsync("rotation-3-retire", $"rotation/{rotation}");
            await rotations.RetireOldKeyAsync(accountId, rotation, null, TestAccounts.Origin);
            await ShootAsync("rotation-4-delete-old", $"rotation/{rotation}");
            await rotations.CompleteAsync(accountId, rotation, TestAccounts.Origin);
            await ShootAsync("rotation-5-done", $"rotation/{rotation}");

            await ShootAsync("reports", "reports");
            await ShootAsync("activity", "activity");
            await ShootAsync("settings", "settings");
            await ShootAsync("notifications", "notifications");
            await ShootAsync("providers", "providers");
            await ShootAsync("import", "vault/import");
            await ShootAsync("leak-check", "rotation/leak-check");
        });

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        Assert.Equal(44, saved.Count);
        Assert.All(saved, name => Assert.True(new FileInfo(Path.Combine(AppContext.BaseDirectory, "screenshots", name + ".png")).Length > 10_000, $"{name}.png is empty."));
    }

    /// <summary>
    /// Opens setup step <paramref name="index"/> (0 = the first): setup reopens where the creator left it, so this
    /// presses "Back" to the first step, then "Next: …" <paramref name="index"/> times, each time waiting for the
    /// step to change (the "Next: …" button names the step after it; on the last step it is gone).
    /// </summary>
    private static async Task GoToSetupStepAsync(IPage page, int index)
    {
        const string NextText = "() => ([...document.querySelectorAll('button')].find(b => b.textContent.trim().startsWith('Next: '))?.textContent.trim() ?? 'none')";
        async Task PressAsync(ILocator button)
        {
            var before = await page.EvaluateAsync<string>(NextText);
            await button.ClickAsync();
            await page.WaitForFunctionAsync($"before => ({NextText})() !== before", before);
        }

        var back = page.GetByRole(AriaRole.Button, new() { Name = "Back", Exact = true });
        while (await back.IsEnabledAsync())
        {
            await PressAsync(back);
        }

        for (var i = 0; i < index; i++)
        {
            await PressAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Next: ") }));
        }

        await page.WaitForAnimationsAsync();
    }
}
