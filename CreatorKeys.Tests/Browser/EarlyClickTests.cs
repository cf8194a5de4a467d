using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// A page shows (prerendered) before its live connection is up; on a busy server that takes a while, and a
/// person clicks anyway. Every control then either works without the connection (a link, a form post) or is
/// shown as not ready, and works once the connection is up. The connection is held back by the test
/// (<see cref="LiveConnectionGate"/>), so the early moment lasts exactly as long as the test needs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class EarlyClickTests(BrowserFixture browser)
{
    /// <summary>Pages after sign-in, each with the controls it shows an account with one key.</summary>
    private static readonly string[] AppPages =
        ["", "setup", "providers", "vault", "vault/import", "vault/names", "workflows", "rotation", "rotation/leak-check", "reports", "activity", "settings", "notifications", "account/emergency-kit"];

    [Theory]
    [InlineData(LiveConnectionGate.Point.Negotiate)]
    [InlineData(LiveConnectionGate.Point.Script)]
    public async Task EmergencyKit_ClickedBeforeTheLiveConnection_DownloadsAndTheRestWaitsVisibly(LiveConnectionGate.Point heldBack)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var gate = await LiveConnectionGate.CloseAsync(context, heldBack);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"EmergencyKit_ClickedBeforeTheLiveConnection_{heldBack}", async () =>
        {
            // Sign-up is a plain form: it works with the live connection (and even Blazor's script) held back,
            // and nothing on it waits for a connection it never makes.
            await page.GotoAsync("account/sign-up", new() { WaitUntil = WaitUntilState.Commit });
            await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestAccounts.Password);
            await page.GetByLabel("Type the password again").FillAsync(TestAccounts.Password);
            await page.GetByLabel("I understand").CheckAsync();
            await Assertions.Expect(GettingReady(page)).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account and vault" }).ClickAsync();

            // The kit is on screen: the first thing a person does is download it, before the page is live.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Save your emergency kit" }).WaitForAsync();
            await gate.WaitUntilHoldingAsync();
            var code = (await page.GetByTestId("recovery-code").InnerTextAsync()).Trim();
            var downloadControl = page.GetByRole(AriaRole.Link, new() { Name = "Download the kit" })
                .Or(page.GetByRole(AriaRole.Button, new() { Name = "Download the kit" }));
            var download = await page.RunAndWaitForDownloadAsync(() => downloadControl.ClickAsync(), new() { Timeout = 10_000 });
            var kitText = await File.ReadAllTextAsync(await download.PathAsync());
            Assert.Contains(code, kitText, StringComparison.Ordinal);
            Assert.Contains(TestAccounts.Email, kitText, StringComparison.Ordinal);
            Assert.Equal("CreatorKeys-emergency-kit.txt", download.SuggestedFilename);

            // What needs the live connection says so: disabled, and a calm "Getting ready…" that screen readers hear.
            Assert.Equal("false", await page.Locator("[data-interactive]").GetAttributeAsync("data-interactive"));
            await Assertions.Expect(GettingReady(page)).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy the code" })).ToBeDisabledAsync();
            await Assertions.Expect(page.GetByLabel("I have saved my emergency kit somewhere safe")).ToBeDisabledAsync();
            Assert.Empty(await page.ControlsOfferedBeforeTheyWorkAsync());
            Assert.Empty(await NotReadyAccessibilityViolationsAsync(page));
            await page.ScreenshotAsync($"early-emergency-kit-{heldBack}");

            // Once live, the same controls work, and the kit is still confirmed the usual way.
            gate.Release();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(GettingReady(page)).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Copy the code" }).ClickAsync();
            await page.GetByText("Recovery code copied").WaitForAsync();
            var again = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the kit" }).ClickAsync());
            Assert.Contains(code, await File.ReadAllTextAsync(await again.PathAsync()), StringComparison.Ordinal);
            await page.GetByLabel("I have saved my emergency kit somewhere safe").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue to my vault" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
        });
    }

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task EveryAppPage_BeforeTheLiveConnection_OffersOnlyWhatWorks(string name, int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var gate = await LiveConnectionGate.CloseAsync(context, LiveConnectionGate.Point.Negotiate);
        gate.Release();
        var page = await context.NewPageAsync();
        await page.StepsAsync($"EveryAppPage_BeforeTheLiveConnection_{name}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", TestAccounts.NewKeyValue());

            var offered = new List<string>();
            var violations = new List<string>();
            gate.Hold();
            foreach (var path in AppPages)
            {
                var label = path.Length == 0 ? "dashboard" : path.Replace("/", "-", StringComparison.Ordinal);
                await page.GotoAsync(path);
                await page.Locator("h1").First.WaitForAsync();
                await gate.WaitUntilHoldingAsync();
                Assert.Equal("false", await page.Locator("[data-interactive]").GetAttributeAsync("data-interactive"));
                offered.AddRange((await page.ControlsOfferedBeforeTheyWorkAsync()).Select(c => $"[{label}] {c}"));
                violations.AddRange((await NotReadyAccessibilityViolationsAsync(page)).Select(v => $"[{label}] {v}"));
                await page.ScreenshotAsync($"early-{name}-{label}");
            }

            // The rotation page (/rotation/{id}) of the account's key, at step 1; cancelled again afterwards.
            var rotationId = await RotationPage.StartAsync(app);
            await page.GotoAsync($"rotation/{rotationId}");
            await page.Locator("h1").First.WaitForAsync();
            await gate.WaitUntilHoldingAsync();
            Assert.Equal("false", await page.Locator("[data-interactive]").GetAttributeAsync("data-interactive"));
            offered.AddRange((await page.ControlsOfferedBeforeTheyWorkAsync()).Select(c => $"[rotation-detail] {c}"));
            violations.AddRange((await NotReadyAccessibilityViolationsAsync(page)).Select(v => $"[rotation-detail] {v}"));
            await page.ScreenshotAsync($"early-{name}-rotation-detail");
            await RotationPage.CancelAsync(app, rotationId);

            Assert.True(offered.Count == 0, "Offered before they work:\n" + string.Join('\n', offered));
            Assert.True(violations.Count == 0, string.Join('\n', violations));

            // Links keep working meanwhile: from the vault to the key's own page, still without a live connection.
            await page.GotoAsync("vault");
            await page.GetByRole(AriaRole.Link, new() { NameRegex = KeyLink() }).First.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { NameRegex = KeyLink() }).WaitForAsync();
            Assert.Empty(await page.ControlsOfferedBeforeTheyWorkAsync());
            await page.ScreenshotAsync($"early-{name}-key-detail");

            // Once the connection is through, the page's buttons work.
            gate.Release();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(GettingReady(page)).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace this key" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).WaitForAsync();
        });
    }

    /// <summary>
    /// axe's serious and critical findings on a page that is not live yet, but one: axe counts everything inside the
    /// disabled fieldset as disabled, links too (browsers keep them focusable), so a table that scrolls sideways with
    /// links in it reads as a scroll region the keyboard cannot reach. Scroll regions are checked on the live pages
    /// (AccessibilityTests), where their controls work.
    /// </summary>
    private static async Task<IEnumerable<string>> NotReadyAccessibilityViolationsAsync(IPage page) =>
        (await page.SeriousAccessibilityViolationsAsync()).Where(v => !v.StartsWith("scrollable-region-focusable ", StringComparison.Ordinal));

    /// <summary>The app's "Getting ready…" notice while the live connection is on its way.</summary>
    private static ILocator GettingReady(IPage page) => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Getting ready" });

    [GeneratedRegex("^PROD — OpenAI")]
    private static partial Regex KeyLink();
}
