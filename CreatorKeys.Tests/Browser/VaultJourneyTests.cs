using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>The first-run path a creator takes, in a real Chromium against the real app.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class VaultJourneyTests(BrowserFixture browser)
{
    [Fact]
    public async Task FirstRun_SignUpKitAddRevealSignOutSignIn_KeyStaysSafeAndReadable()
    {
        using var app = AppHost.Start(settings: AppHost.TraceLogging);
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync("FirstRun_SignUpKitAddRevealSignOutSignIn_KeyStaysSafeAndReadable", async () =>
        {
            var keyValue = TestAccounts.NewKeyValue();

            // A new install sends the visitor to sign-up.
            await page.GotoAsync("");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" }).WaitForAsync();
            await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestAccounts.Password);
            await page.GetByLabel("Type the password again").FillAsync(TestAccounts.Password);
            await page.GetByLabel("I understand").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account and vault" }).ClickAsync();

            // Emergency kit: the code is shown, downloads as a file, and must be confirmed.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Save your emergency kit" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            var code = (await page.GetByTestId("recovery-code").InnerTextAsync()).Trim();
            Assert.Matches(RecoveryCodeShape(), code);
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download the kit" }).ClickAsync());
            var kitText = await File.ReadAllTextAsync(await download.PathAsync());
            Assert.Contains(code, kitText, StringComparison.Ordinal);
            Assert.Contains(TestAccounts.Email, kitText, StringComparison.Ordinal);
            var continueButton = page.GetByRole(AriaRole.Button, new() { Name = "Continue to my vault" });
            Assert.True(await continueButton.IsDisabledAsync());
            await page.GetByLabel("I have saved my emergency kit somewhere safe").CheckAsync();
            await continueButton.ClickAsync();

            // Add a key.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            var service = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Service" });
            await service.FillAsync("OpenAI");
            await service.PressAsync("Tab");
            await dialog.GetByRole(AriaRole.Radio, new() { Name = "PROD" }).CheckAsync();
            await dialog.GetByLabel("Key value").FillAsync($"  \"{keyValue}\"\n");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });

            // The PROD folder opens by itself and lists the key masked.
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "PROD (1)" })).ToHaveAttributeAsync("aria-selected", "true");

            // The folder tabs work from the keyboard: arrows move between them and open the one reached.
            await page.GetByRole(AriaRole.Tab, new() { Name = "PROD (1)" }).FocusAsync();
            await page.Keyboard.PressAsync("ArrowLeft");
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "STAGING (0)" })).ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "STAGING (0)" })).ToBeFocusedAsync();
            await page.GetByText("No STAGING keys yet.").WaitForAsync();
            await page.Keyboard.PressAsync("End");
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "PROD (1)" })).ToHaveAttributeAsync("aria-selected", "true");
            await Assertions.Expect(page.GetByRole(AriaRole.Tab, new() { Name = "PROD (1)" })).ToBeFocusedAsync();
            var masked = page.GetByTestId("masked-value");
            await masked.WaitForAsync();
            Assert.Equal($"sk-…{keyValue[^4..]}", (await masked.InnerTextAsync()).Trim());
            Assert.DoesNotContain(keyValue, await page.ContentAsync(), StringComparison.Ordinal);

            // Reveal shows the exact value (quotes and spaces trimmed), once the password is typed again: it is a PROD key.
            var label = await page.GetByRole(AriaRole.Cell).Filter(new() { HasTextRegex = PlainLabel() }).First.InnerTextAsync();
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Reveal ") }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            Assert.Equal(keyValue, (await page.GetByTestId("revealed-value").InnerTextAsync()).Trim());

            // Copy puts it on the clipboard, without asking again inside the 10 minutes.
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Copy ") }).ClickAsync();
            await page.GetByText("copied").WaitForAsync();
            Assert.Equal(0, await page.GetByRole(AriaRole.Dialog).CountAsync());
            Assert.Equal(keyValue, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

            // Nothing of it is kept in the browser: no storage, no cookie, not in the address.
            var stored = await page.EvaluateAsync<string>("() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie })");
            Assert.DoesNotContain(keyValue, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(keyValue[^12..], page.Url, StringComparison.Ordinal);
            Assert.DoesNotContain((await context.CookiesAsync()).Select(c => c.Value), v => v.Contains(keyValue, StringComparison.Ordinal));

            // Sign out locks the vault.
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.GetByText("You signed out and your vault is locked.").WaitForAsync();
            await page.GotoAsync("vault");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to unlock your vault" }).WaitForAsync();

            // A wrong password gets a clear message and no way in.
            await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
            await page.GetByLabel("Password").FillAsync("not my password at all");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "That email and password do not match" }).WaitForAsync();
            Assert.Equal(string.Empty, await page.GetByLabel("Password").InputValueAsync());

            // The right password unlocks it again and the key reveals identically.
            await page.GetByLabel("Email").FillAsync(TestAccounts.Email);
            await page.GetByLabel("Password").FillAsync(TestAccounts.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = $"Reveal {label.Trim()}" }).ClickAsync();
            // A new sign-in is a new session: it asks again.
            await BrowserJourney.ConfirmItsYouAsync(page);
            Assert.Equal(keyValue, (await page.GetByTestId("revealed-value").InnerTextAsync()).Trim());
            await page.ScreenshotAsync("journey-vault-revealed");

            // Nothing secret reached the log, at any level, on the whole journey.
            Assert.NotEmpty(app.Logs.Lines);
            var secrets = new[] { keyValue, code, code.Replace("-", "", StringComparison.Ordinal), TestAccounts.Password };
            var leaks = app.Logs.Lines.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal))).ToList();
            Assert.True(leaks.Count == 0, "Secrets in the log:" + Environment.NewLine + string.Join(Environment.NewLine, leaks.Select(l => l[..Math.Min(l.Length, 600)])));
        });
    }

    [GeneratedRegex("^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$")]
    private static partial Regex RecoveryCodeShape();

    [GeneratedRegex("^PROD — OpenAI — Created ")]
    private static partial Regex PlainLabel();
}
