using System.Text.RegularExpressions;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>Workflows, a full rotation, and the leak check, as a creator does them.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RotationTests(BrowserFixture browser)
{
    private const string ProdLabel = "PROD — OpenAI — Created 2026-01-05";

    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task RotateProdKeyUsedByTwoWorkflows_FromStartToFinish(int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(RotateProdKeyUsedByTwoWorkflows_FromStartToFinish)}-{width}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            var oldValue = TestAccounts.NewKeyValue();
            await AddProdKeyAsync(page, oldValue);
            // The picker names the key once, with the end the provider shows (not "PROD · PROD — …").
            var option = $"{ProdLabel} · ends {oldValue[^4..]}";

            // Record two workflows that use it.
            await page.GotoAsync("workflows");
            await page.WaitForInteractiveAsync();
            await AddWorkflowAsync(page, "Avatar video", "Make scenario", "OPENAI_KEY_PROD", option);
            await AddWorkflowAsync(page, "Thumbnails", "Zapier zap", "OPENAI_API_KEY_PROD", option);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"rotation-0-workflows-{width}");

            // The key's page says where it lives, and starts the rotation.
            await page.GetByRole(AriaRole.Link, new() { Name = ProdLabel }).First.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = ProdLabel }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByText("as OPENAI_KEY_PROD")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("as OPENAI_API_KEY_PROD")).ToBeVisibleAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"rotation-1-key-{width}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Replace this key" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start the rotation" }).ClickAsync();

            // Step 1: the new key.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            var newValue = TestAccounts.NewKeyValue();
            await page.GetByLabel("The new key").FillAsync(newValue);
            await page.GetByRole(AriaRole.Button, new() { Name = "Save the new key" }).ClickAsync();

            // Step 2: one row per workflow; retiring is not offered until both are tested.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 2: move every workflow to the new key" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Copy the new key ") }).ClickAsync();
            // A PROD key: the first copy in this sign-in asks "confirm it's you".
            await BrowserJourney.ConfirmItsYouAsync(page);
            await page.GetByText("Paste it into each workflow.").WaitForAsync();
            Assert.Equal(newValue, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            Assert.DoesNotContain(newValue, await page.ContentAsync(), StringComparison.Ordinal);
            await Assertions.Expect(page.GetByText("Possible once every workflow above is updated and tested.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next: retire the old key" })).ToBeDisabledAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Avatar video updated to the new key" }).CheckAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Avatar video tested and working" })).ToBeEnabledAsync();

            // Closing the tab and coming back continues at the same step, with the tick kept.
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "Avatar video updated to the new key" })).ToBeCheckedAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Avatar video tested and working" }).CheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Thumbnails updated to the new key" }).CheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Thumbnails tested and working" }).CheckAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"rotation-2-checklist-{width}");

            // Step 3: retire; step 4: at the provider, cap the new key and delete the old one, then finish.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: retire the old key" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 3: retire the old key" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire the old key", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 4: finish at OpenAI" }).WaitForAsync();
            await Assertions.Expect(page.GetByText($"delete the one ending {oldValue[^4..]} — keep the one ending {newValue[^4..]}")).ToBeVisibleAsync();
            var finish = page.GetByRole(AriaRole.Button, new() { Name = "Finish the rotation" });
            await Assertions.Expect(finish).ToBeDisabledAsync();
            // The old key had no cap, and two workflows now use the new one: its first cap is a PROD change to confirm.
            await page.GetByLabel("New key's cap").FillAsync("100");
            await page.GetByLabel("New key's cap").PressAsync("Tab");
            var confirm = page.GetByRole(AriaRole.Dialog);
            await confirm.GetByLabel("Type PROD to confirm").FillAsync("PROD");
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Save the cap" }).ClickAsync();
            await confirm.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"I set this cap on the key ending {newValue[^4..]}" }).CheckAsync();
            await page.GetByRole(AriaRole.Checkbox, new() { Name = $"I deleted the key ending {oldValue[^4..]} at the provider" }).CheckAsync();
            // Enabled the moment both are ticked.
            await Assertions.Expect(finish).ToBeEnabledAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"rotation-4-at-the-provider-{width}");
            await finish.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Done" }).WaitForAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"rotation-5-done-{width}");

            // "Back to the dashboard" goes there.
            await page.GetByRole(AriaRole.Link, new() { Name = "Back to the dashboard" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard", Exact = true }).WaitForAsync();

            var session = Assert.Single(app.OpenSessions());
            var keys = await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId);
            var old = keys.Single(k => k.Label == ProdLabel);
            var fresh = keys.Single(k => k.Status == KeyStatus.Current);
            Assert.Equal(KeyStatus.Previous, old.Status);
            Assert.True(fresh.CapSetAtProvider);
            Assert.Equal(100m, fresh.MonthlyCapUsd);
            Assert.Equal(old.SlotId, fresh.SlotId);
            var workflows = await app.Services.GetRequiredService<WorkflowService>().ListAsync(session.AccountId);
            Assert.All(workflows, w => Assert.Equal(fresh.Id, Assert.Single(w.KeyUses).KeyId));
            Assert.Empty(await app.Services.GetRequiredService<RotationService>().ListActiveAsync(session.AccountId));
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    [Fact]
    public async Task LeakCheck_FindsAStoredKeyInPastedText_AndStartsAnUrgentRotation()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(LeakCheck_FindsAStoredKeyInPastedText_AndStartsAnUrgentRotation), async () =>
        {
            var value = TestAccounts.NewKeyValue();
            await BrowserJourney.SignUpAsync(page);
            await AddProdKeyAsync(page, value);

            await page.GotoAsync("rotation/leak-check");
            await page.WaitForInteractiveAsync();
            await page.GetByLabel("Text to check").FillAsync($"[10:02] sam: here's the config\n{{\"openai\": {{\"apiKey\": \"{value}\"}}}}\n[10:03] me: thanks!\nunrelated 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12");
            await page.GetByRole(AriaRole.Button, new() { Name = "Check", Exact = true }).ClickAsync();
            await page.GetByText($"this is your PROD OpenAI key “{ProdLabel}”").WaitForAsync();
            Assert.DoesNotContain(value, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.Empty(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("leak-check-found");

            await page.GetByRole(AriaRole.Button, new() { Name = $"Start an urgent rotation of {ProdLabel}" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = $"Replacing “{ProdLabel}”" }).WaitForAsync();
            await Assertions.Expect(page.GetByText("This key may have leaked.")).ToBeVisibleAsync();
            await page.ScreenshotAsync("leak-check-urgent-rotation");

            var session = Assert.Single(app.OpenSessions());
            var rotation = Assert.Single(await app.Services.GetRequiredService<RotationService>().ListActiveAsync(session.AccountId));
            Assert.True(rotation.Urgent);
            Assert.True(Assert.Single(await app.Services.GetRequiredService<VaultService>().ListKeysAsync(session.AccountId)).IsCompromised);
            Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
        });
    }

    private static async Task AddProdKeyAsync(IPage page, string value)
    {
        await page.GotoAsync("vault");
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var service = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Service" });
        await service.FillAsync("OpenAI");
        await service.PressAsync("Tab");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = "PROD" }).CheckAsync();

        // The dialog suggests a name once service and environment are chosen; wait for it before typing our own.
        var name = dialog.GetByLabel("Name");
        await Assertions.Expect(name).ToHaveValueAsync(new Regex("^PROD — OpenAI — Created "));
        await name.FillAsync(ProdLabel);
        await dialog.GetByLabel("Key value").FillAsync(value);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    private static async Task AddWorkflowAsync(IPage page, string name, string platform, string variable, string keyOption)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a workflow" }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await ChooseAsync(page, dialog, "Runs on", platform);
        await ChooseAsync(page, dialog, "Environment", "PROD");
        await ChooseAsync(page, dialog, "Key 1", keyOption);
        await dialog.GetByLabel("Name of key 1 in the workflow").FillAsync(variable);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save workflow" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await page.GetByRole(AriaRole.Cell).Filter(new() { HasText = name }).First.WaitForAsync();
    }

    private static async Task ChooseAsync(IPage page, ILocator dialog, string select, string option)
    {
        var combobox = dialog.GetByRole(AriaRole.Combobox, new() { Name = select });
        await combobox.ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
        // The choice reaches the server after a round trip of the select's own; under load a click on
        // "Save workflow" could overtake it. Go on once the select shows the choice (the server rendered it).
        var shown = dialog.Locator(".mud-select").Filter(new() { Has = page.GetByRole(AriaRole.Combobox, new() { Name = select }) });
        await Assertions.Expect(shown.First).ToContainTextAsync(option, new() { Timeout = 30_000 });
    }
}
