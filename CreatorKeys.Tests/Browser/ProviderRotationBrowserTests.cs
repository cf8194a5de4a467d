using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Core.Rotation;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 21 §2 in a browser at desktop and phone width against a fake OpenRouter on loopback: the management key marked
/// on Add a key, step 1 and step 4 in one click each, the new key stored (the fake's value), its cap verified, the old
/// key deleted at the fake; the whole flow's Trace log holds no key value; no serious axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProviderRotationBrowserTests(BrowserFixture browser)
{
    private const string ManagementValue = "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";
    private const string OldValue = "sk-or-v1-0ldKeyValue0123456789abcdef0123456789abcdef0123456789abcd";
    private const string OldHash = "0ld5e0123456789abcdef";

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task OpenRouter_CreateAndDeleteThroughItsApi_FromStartToFinish(string name, int width, int height)
    {
        using var fake = WireMockServer.Start();
        var auth = $"Bearer {ManagementValue}";
        fake.Given(Request.Create().WithPath("/api/v1/keys").UsingPost().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(201).WithBody(ProviderRotationBodies.OpenRouterCreated));
        fake.Given(Request.Create().WithPath($"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}").UsingGet().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ProviderRotationBodies.OpenRouterKey(20m)));
        fake.Given(Request.Create().WithPath($"/api/v1/keys/{OldHash}").UsingDelete().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"deleted":true}"""));
        var settings = new Dictionary<string, string?>(AppHost.TraceLogging) { [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = fake.Url + "/" };
        using var app = AppHost.Start(settings: settings);
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"ProviderRotation_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);

            // The management key, marked as one on Add a key.
            await page.GotoAsync("vault");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            var service = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Service" });
            await service.FillAsync("OpenRouter");
            await service.PressAsync("Tab");
            await dialog.GetByRole(AriaRole.Radio, new() { Name = "PROD" }).CheckAsync();
            await dialog.GetByLabel("Key value").FillAsync(ManagementValue);
            await dialog.GetByRole(AriaRole.Checkbox, new() { Name = ManagementKeys.ChoiceLabel }).CheckAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });

            // The key to replace, with its cap and OpenRouter's hash, and its rotation.
            var session = Assert.Single(app.OpenSessions());
            var vault = app.Services.GetRequiredService<VaultService>();
            var management = Assert.Single(await vault.ListKeysAsync(session.AccountId));
            Assert.True(management.IsManagementKey);
            var old = (await vault.AddKeyAsync(session, new NewKeyInput("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — main", OldValue, "openrouter", 20m), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
            Assert.True((await vault.SetProviderKeyIdAsync(session, old.Id, OldHash, null, TestAccounts.Origin)).Succeeded);
            var rotationId = (await app.Services.GetRequiredService<RotationService>().StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;

            // Step 1 in one click, after "confirm it's you".
            await page.GotoAsync($"rotation/{rotationId}");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the new key at OpenRouter for me" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 2: move every workflow to the new key" }).WaitForAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("cap is set at OpenRouter: checked");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"provider-rotation-{name}-created");

            // No workflow uses the key: on to retire, then step 4 in one click.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next: retire the old key" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire the old key", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 4: finish at OpenRouter" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete the old key at OpenRouter for me" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("The old key is deleted at OpenRouter.");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"provider-rotation-{name}-deleted");
            var finish = page.GetByRole(AriaRole.Button, new() { Name = "Finish the rotation" });
            await Assertions.Expect(finish).ToBeEnabledAsync();
            await finish.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Done" }).WaitForAsync();

            // The new key is the fake's value, its cap verified; the old key was deleted at the fake, once.
            var fresh = (await vault.ListKeysAsync(session.AccountId)).Single(k => k.Status == KeyStatus.Current && !k.IsManagementKey);
            Assert.Equal(ProviderRotationBodies.OpenRouterNewHash, fresh.ProviderKeyId);
            Assert.True(fresh.CapSetAtProvider);
            await app.Services.ConfirmItsYouAsync(session);
            Assert.Equal(ProviderRotationBodies.OpenRouterNewValue, await vault.RevealAsync(session, fresh.Id, TestAccounts.Origin));
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path == $"/api/v1/keys/{OldHash}");

            // The whole flow at Trace: no value in any line.
            var lines = app.Logs.Lines;
            Assert.Contains(lines, l => l.Contains("/api/v1/keys", StringComparison.Ordinal));
            foreach (var value in new[] { ManagementValue, OldValue, ProviderRotationBodies.OpenRouterNewValue })
            {
                Assert.DoesNotContain(lines, l => l.Contains(value, StringComparison.Ordinal));
            }

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }
}
