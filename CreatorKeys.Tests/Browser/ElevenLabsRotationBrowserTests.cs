using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Core.Rotation;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// An ElevenLabs replacement through workspace service accounts, clicked through at desktop and phone width against a
/// WireMock fake: the character-limit field (never a converted dollar cap) is typed, step 1 creates the key with that
/// limit and reads it back, step 4 deletes the old key at the fake. axe runs on each step; no value reaches the log.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ElevenLabsRotationBrowserTests(BrowserFixture browser)
{
    private const string AdminValue = "sk_b0b1b2b3b4b5b6b7b8b9babbbcbdbebf0b1b2b3b4b5b6b7b";
    private const string OldValue = "sk_1a2b3c4d5e6f70819203a4b5c6d7e8f91a2b3c4d5e6f7081";
    private const string ServiceAccount = "sa_user_123";
    private const string KeysPath = "/v1/service-accounts/" + ServiceAccount + "/api-keys";

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task ServiceAccountKey_CreatedWithTheTypedCharacterLimit_AndTheOldOneDeleted(string name, int width, int height)
    {
        using var fake = WireMockServer.Start();
        fake.Given(Request.Create().WithPath("/v1/service-accounts").UsingGet().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderRotationBodies.ElevenLabsServiceAccounts(newKeyLimit: 50_000)));
        fake.Given(Request.Create().WithPath(KeysPath).UsingPost().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderRotationBodies.ElevenLabsCreated));
        fake.Given(Request.Create().WithPath($"{KeysPath}/key_old456").UsingDelete().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{}"));
        var settings = new Dictionary<string, string?>(AppHost.TraceLogging) { [$"{ProviderConnectionOptions.Section}:elevenlabs:BaseAddress"] = fake.Url + "/" };
        using var app = AppHost.Start(settings: settings);
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"ElevenLabsRotation_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);

            // The workspace admin key, and a PROD key whose service account and key id are known, used by one workflow.
            var session = Assert.Single(app.OpenSessions());
            var vault = app.Services.GetRequiredService<VaultService>();
            Assert.True((await vault.AddKeyAsync(session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — admin", AdminValue, "elevenlabs", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true)).Succeeded);
            var old = (await vault.AddKeyAsync(session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — main", OldValue, "elevenlabs", 20m), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
            Assert.True((await vault.SetProviderKeyIdAsync(session, old.Id, "key_old456", ServiceAccount, TestAccounts.Origin)).Succeeded);
            var (workflow, errors) = await app.Services.GetRequiredService<WorkflowService>().SaveAsync(session.AccountId, null,
                new WorkflowInput("Voice-over", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(old.Id, "ELEVENLABS_API_KEY")]), TestAccounts.Origin);
            Assert.True(workflow is not null, string.Join(" ", errors.Values));
            var rotationId = (await app.Services.GetRequiredService<RotationService>().StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;

            // Step 1: the limit is typed in characters (the page says why it is not the dollar cap), then one click.
            await page.GotoAsync($"rotation/{rotationId}");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByText("does not turn your dollar cap into characters")).ToBeVisibleAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.GetByLabel("Monthly character limit for the new key (optional)").FillAsync("50000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the new key at ElevenLabs for me" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 2: move every workflow to the new key" }).WaitForAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("limit of 50,000 characters a month is set at ElevenLabs: checked");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"elevenlabs-rotation-{name}-created");

            // Steps 2 and 3.
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Voice-over updated to the new key" }).CheckAsync();
            var tested = page.GetByRole(AriaRole.Checkbox, new() { Name = "Voice-over tested and working" });
            await Assertions.Expect(tested).ToBeEnabledAsync();
            await tested.CheckAsync();
            var next = page.GetByRole(AriaRole.Button, new() { Name = "Next: retire the old key" });
            await Assertions.Expect(next).ToBeEnabledAsync();
            await next.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 3: retire the old key" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire the old key", Exact = true }).ClickAsync();

            // Step 4: the old key deleted at ElevenLabs, once.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 4: finish at ElevenLabs" }).WaitForAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete the old key at ElevenLabs for me" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("The old key is deleted at ElevenLabs.");
            // The by-hand paragraph no longer says the old key "still works": the provider has just said otherwise.
            await Assertions.Expect(page.GetByTestId("old-key-retired")).ToContainTextAsync("the key ending 7081 is deleted there");
            await Assertions.Expect(page.GetByText("The old key still works at ElevenLabs")).ToHaveCountAsync(0);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"elevenlabs-rotation-{name}-deleted");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The rotation page scrolls sideways.");

            // The new key is the fake's value, with its key id and service account; the POST carried the typed limit.
            var rotation = (await app.Services.GetRequiredService<RotationService>().GetAsync(session.AccountId, rotationId))!;
            var fresh = (await vault.ListKeysAsync(session.AccountId)).Single(k => k.Id == rotation.NewKeyId);
            Assert.Equal((ProviderRotationBodies.ElevenLabsNewKeyId, ServiceAccount, false), (fresh.ProviderKeyId, fresh.ProviderProjectId, fresh.CapSetAtProvider));
            await app.Services.ConfirmItsYouAsync(session);
            Assert.Equal(ProviderRotationBodies.ElevenLabsNewValue, await vault.RevealAsync(session, fresh.Id, TestAccounts.Origin));
            Assert.Contains("\"character_limit\":50000", Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage.Body!, StringComparison.Ordinal);
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path == $"{KeysPath}/key_old456");

            var lines = app.Logs.Lines;
            Assert.Contains(lines, l => l.Contains(KeysPath, StringComparison.Ordinal));
            foreach (var value in new[] { AdminValue, OldValue, ProviderRotationBodies.ElevenLabsNewValue })
            {
                Assert.DoesNotContain(lines, l => l.Contains(value, StringComparison.Ordinal));
            }

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }
}
