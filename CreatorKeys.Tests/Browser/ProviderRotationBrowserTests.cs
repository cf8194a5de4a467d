using System.Text.RegularExpressions;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Core.Rotation;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 21 §2 in a browser at desktop and phone width against fake OpenRouter and OpenAI servers on loopback: the
/// management key marked on Add a key, step 1 and step 4 in one click each, the new key stored (the fake's value), its
/// cap verified (OpenRouter), the old key deleted at the fake; the whole flow's Trace log holds no key value; a key left
/// at the provider by a crash (the orphan) is named, deleted for the creator or forgotten, and never dropped by
/// cancelling; no serious axe violation.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProviderRotationBrowserTests(BrowserFixture browser)
{
    private const string ManagementValue = "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";
    private const string OldValue = "sk-or-v1-0ldKeyValue0123456789abcdef0123456789abcdef0123456789abcd";
    private const string OldHash = "0ld5e0123456789abcdef";
    private const string OpenAiAdminValue = "sk-admin-BrowserAdminValue0123456789abcdefWXYZ";
    private const string OpenAiOldValue = "sk-proj-BrowserOldValue0123456789abcdefOLD1";
    private const string OpenAiProject = "proj_abc";
    private const string OrphanName = "PROD — OpenAI — Created 2026-12-01";

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

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task OpenAi_ServiceAccountCreatedAndOldOneDeletedThroughTheAdminApi_FromStartToFinish(string name, int width, int height)
    {
        using var fake = WireMockServer.Start();
        var auth = $"Bearer {OpenAiAdminValue}";
        fake.Given(Request.Create().WithPath($"/v1/organization/projects/{OpenAiProject}/service_accounts").UsingPost().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ProviderRotationBodies.OpenAiServiceAccountCreated));
        fake.Given(Request.Create().WithPath($"/v1/organization/projects/{OpenAiProject}/service_accounts/svc_acct_old").UsingDelete().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"organization.project.service_account.deleted","id":"svc_acct_old","deleted":true}"""));
        var settings = new Dictionary<string, string?>(AppHost.TraceLogging) { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = fake.Url + "/" };
        using var app = AppHost.Start(settings: settings);
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"OpenAiRotation_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);

            // A PROD OpenAI key in a project (its service account's id known), used by one workflow, and the admin key.
            var session = Assert.Single(app.OpenSessions());
            var vault = app.Services.GetRequiredService<VaultService>();
            Assert.True((await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — admin", OpenAiAdminValue, "openai", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true)).Succeeded);
            var old = (await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", OpenAiOldValue, "openai", 50m), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
            Assert.True((await vault.SetProviderKeyIdAsync(session, old.Id, "svc_acct_old", OpenAiProject, TestAccounts.Origin)).Succeeded);
            var (workflow, errors) = await app.Services.GetRequiredService<WorkflowService>().SaveAsync(session.AccountId, null,
                new WorkflowInput("Daily video", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(old.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);
            Assert.True(workflow is not null, string.Join(" ", errors.Values));
            var rotationId = (await app.Services.GetRequiredService<RotationService>().StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;

            // Step 1 in one click, after "confirm it's you": a new service account in the key's project.
            await page.GotoAsync($"rotation/{rotationId}");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the new key at OpenAI for me" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 2: move every workflow to the new key" }).WaitForAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("OpenAI created “");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"openai-rotation-{name}-created");

            // Steps 2 and 3: the workflow moved and tested, then the old key retired here.
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Daily video updated to the new key" }).CheckAsync();
            var tested = page.GetByRole(AriaRole.Checkbox, new() { Name = "Daily video tested and working" });
            await Assertions.Expect(tested).ToBeEnabledAsync();
            await tested.CheckAsync();
            var next = page.GetByRole(AriaRole.Button, new() { Name = "Next: retire the old key" });
            await Assertions.Expect(next).ToBeEnabledAsync();
            await next.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 3: retire the old key" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire the old key", Exact = true }).ClickAsync();

            // Step 4 in one click: the old service account deleted at OpenAI; the cap is the creator's tick there.
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 4: finish at OpenAI" }).WaitForAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete the old key at OpenAI for me" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync("The old key is deleted at OpenAI.");
            await page.GetByRole(AriaRole.Checkbox, new() { NameRegex = new Regex("^I set this cap on the key ending ") }).CheckAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"openai-rotation-{name}-deleted");
            var finish = page.GetByRole(AriaRole.Button, new() { Name = "Finish the rotation" });
            await Assertions.Expect(finish).ToBeEnabledAsync();
            await finish.ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = "Done" }).WaitForAsync();

            // The new key is the fake's value, with its service account and project; the old one was deleted at the fake, once.
            var fresh = (await vault.ListKeysAsync(session.AccountId)).Single(k => k.Status == KeyStatus.Current && !k.IsManagementKey);
            Assert.Equal(("svc_acct_abc", OpenAiProject), (fresh.ProviderKeyId, fresh.ProviderProjectId));
            await app.Services.ConfirmItsYouAsync(session);
            Assert.Equal(ProviderRotationBodies.OpenAiNewValue, await vault.RevealAsync(session, fresh.Id, TestAccounts.Origin));
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "POST");
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path == $"/v1/organization/projects/{OpenAiProject}/service_accounts/svc_acct_old");

            var lines = app.Logs.Lines;
            Assert.Contains(lines, l => l.Contains("/v1/organization/projects", StringComparison.Ordinal));
            foreach (var value in new[] { OpenAiAdminValue, OpenAiOldValue, ProviderRotationBodies.OpenAiNewValue })
            {
                Assert.DoesNotContain(lines, l => l.Contains(value, StringComparison.Ordinal));
            }

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    [Theory]
    [InlineData("desktop", 1280, 900)]
    [InlineData("phone", 390, 844)]
    public async Task Orphan_IsNamed_DeletedForMe_Forgotten_AndNeverDroppedByCancelling(string name, int width, int height)
    {
        using var fake = WireMockServer.Start();
        var auth = $"Bearer {OpenAiAdminValue}";
        foreach (var orphan in new[] { "svc_acct_orphan_a", "svc_acct_orphan_c" })
        {
            fake.Given(Request.Create().WithPath($"/v1/organization/projects/{OpenAiProject}/service_accounts/{orphan}").UsingDelete().WithHeader("Authorization", auth))
                .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"object":"organization.project.service_account.deleted","id":"{{orphan}}","deleted":true}"""));
        }

        using var app = AppHost.Start(settings: new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = fake.Url + "/" });
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"Orphan_{name}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            var session = Assert.Single(app.OpenSessions());
            var vault = app.Services.GetRequiredService<VaultService>();
            var rotations = app.Services.GetRequiredService<RotationService>();
            Assert.True((await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — admin", OpenAiAdminValue, "openai", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true)).Succeeded);

            // Three rotations as a crash leaves them: the create reached OpenAI (its id saved), the value never stored.
            async Task<Guid> OrphanedAsync(string label, string value, string orphanId)
            {
                var old = (await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, label, value, "openai"), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
                var id = (await rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
                await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
                var rotation = await db.Rotations.SingleAsync(r => r.Id == id);
                (rotation.ProviderCreateStartedAt, rotation.ProviderCreateName, rotation.ProviderCreatedKeyId, rotation.ProviderCreatedProjectId) =
                    (DateTimeOffset.UtcNow, OrphanName, orphanId, OpenAiProject);
                await db.SaveChangesAsync();
                return id;
            }

            var deleteForMe = await OrphanedAsync("PROD — OpenAI — first", "sk-proj-BrowserFirstValue0123456789abcdefAAAA", "svc_acct_orphan_a");
            var byHand = await OrphanedAsync("PROD — OpenAI — second", "sk-proj-BrowserSecondValue0123456789abcdefBBBB", "svc_acct_orphan_b");
            var cancel = await OrphanedAsync("PROD — OpenAI — third", "sk-proj-BrowserThirdValue0123456789abcdefCCCC", "svc_acct_orphan_c");
            var orphanText = $"OpenAI has a key “{OrphanName}” that CreatorKeys never stored";

            // Cancelling does not drop the orphan: it is deleted at OpenAI first (after "confirm it's you"), then cancelled.
            await page.GotoAsync($"rotation/{cancel}");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("orphan-key")).ToContainTextAsync(orphanText);
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel the rotation" }).ClickAsync();
            var ask = page.GetByRole(AriaRole.Dialog, new() { Name = "Cancel this rotation?" });
            await Assertions.Expect(ask).ToContainTextAsync("Cancelling would leave it working there");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"orphan-{name}-cancel");
            await ask.GetByRole(AriaRole.Button, new() { Name = "Delete it at OpenAI and cancel" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Cancelled" }).WaitForAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync($"“{OrphanName}” is gone at the provider, and the rotation is cancelled");
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path.EndsWith("/svc_acct_orphan_c", StringComparison.Ordinal));

            // "Delete it for me": the orphan is deleted at the fake and the page offers the create again.
            await page.GotoAsync($"rotation/{deleteForMe}");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("orphan-key")).ToContainTextAsync(orphanText);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"orphan-{name}-named");
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete it at OpenAI for me" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("provider-message").First).ToContainTextAsync($"“{OrphanName}” is deleted at OpenAI.");
            await Assertions.Expect(page.GetByTestId("orphan-key")).ToHaveCountAsync(0);
            Assert.Single(fake.LogEntries, e => e.RequestMessage.Method == "DELETE" && e.RequestMessage.Path.EndsWith("/svc_acct_orphan_a", StringComparison.Ordinal));

            // "I deleted it myself": forgotten, nothing sent to OpenAI.
            await page.GotoAsync($"rotation/{byHand}");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "I deleted it myself (or it is not there)" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("orphan-key")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Step 1: create the new key" }).WaitForAsync();
            Assert.False((await rotations.GetAsync(session.AccountId, byHand))!.HasOrphanAtProvider);
            Assert.DoesNotContain(fake.LogEntries, e => e.RequestMessage.Path.EndsWith("/svc_acct_orphan_b", StringComparison.Ordinal));
            Assert.Equal(2, fake.LogEntries.Count);

            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }
}
