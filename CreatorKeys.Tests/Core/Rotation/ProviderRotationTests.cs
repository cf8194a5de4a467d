using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Rotation;

/// <summary>
/// Rotation through the providers' own APIs against WireMock fakes answering with the documented bodies
/// (<see cref="ProviderRotationBodies"/>): management keys, one-click create and delete, the orphan after a crash.
/// </summary>
public sealed class ProviderRotationTests : IAsyncLifetime, IDisposable
{
    private const string OldOpenRouterValue = "sk-or-v1-0ldKeyValue0123456789abcdef0123456789abcdef0123456789abcd";
    private const string ManagementValue = "sk-or-v1-Mgmt0123456789abcdef0123456789abcdef0123456789abcdef0123";
    private const string OpenAiAdminValue = "sk-admin-AdminValue0123456789abcdefWXYZ";
    private const string OldOpenAiValue = "sk-proj-OldOpenAiValue0123456789abcdefWXYZ";
    private readonly WireMockServer _fake = WireMockServer.Start();
    private readonly LogCapture _logs = new();
    private CoreHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(
        new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = _fake.Url + "/",
            [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = _fake.Url + "/",
            [$"{ProviderConnectionOptions.Section}:anthropic:BaseAddress"] = _fake.Url + "/",
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
            ["CreatorKeys:Accounts:Registration"] = "Open",
        },
        extraServices: services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs)));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _fake.Stop();
        _fake.Dispose();
    }

    public void Dispose() => _logs.Dispose();

    private ProviderRotationService Provider => _host.Services.GetRequiredService<ProviderRotationService>();

    private RotationService Rotations => _host.Services.GetRequiredService<RotationService>();

    private async Task<KeySummary> AddAsync(VaultSession session, string provider, string providerId, string value, string label, bool management = false, decimal? cap = null, VaultEnvironment environment = VaultEnvironment.Prod)
    {
        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput(provider, environment, label, value, providerId, cap, IsManagementKey: management), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private async Task<(VaultSession Session, KeySummary Old, Guid RotationId)> OpenRouterRotationAsync(decimal? cap = 20m)
    {
        var (_, session, _) = await _host.SignUpAsync();
        await AddAsync(session, "OpenRouter", "openrouter", ManagementValue, "PROD — OpenRouter — management", management: true);
        var old = await AddAsync(session, "OpenRouter", "openrouter", OldOpenRouterValue, "PROD — OpenRouter — main", cap: cap);
        var started = await Rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        return (session, old, started.Rotation!.Id);
    }

    private void OpenRouterCreates(decimal? readBackLimit = 20m)
    {
        _fake.Given(Request.Create().WithPath("/api/v1/keys").UsingPost().WithHeader("Authorization", $"Bearer {ManagementValue}"))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(ProviderRotationBodies.OpenRouterCreated));
        _fake.Given(Request.Create().WithPath($"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}").UsingGet().WithHeader("Authorization", $"Bearer {ManagementValue}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderRotationBodies.OpenRouterKey(readBackLimit)));
    }

    private void OpenRouterDeletes(string hash) =>
        _fake.Given(Request.Create().WithPath($"/api/v1/keys/{hash}").UsingDelete().WithHeader("Authorization", $"Bearer {ManagementValue}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"deleted":true}"""));

    private int Requests(string method, string path) => _fake.LogEntries.Count(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path);

    [Fact]
    public async Task A_management_key_is_kept_in_PROD_only_and_only_for_providers_that_have_one()
    {
        var (_, session, _) = await _host.SignUpAsync();

        var dev = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenRouter", VaultEnvironment.Dev, "DEV — OpenRouter — management", ManagementValue, "openrouter", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true);
        var groq = await _host.Vault.AddKeyAsync(session, new NewKeyInput("Groq", VaultEnvironment.Prod, "PROD — Groq — management", "gsk_GroqValue0123456789abcdefWXYZ0123456789abcdef", "groq", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true);

        Assert.Equal(ManagementKeys.ProdOnly, dev.Errors[nameof(NewKeyInput.IsManagementKey)]);
        Assert.Contains("has no management key", groq.Errors[nameof(NewKeyInput.IsManagementKey)], StringComparison.Ordinal);
        Assert.Empty(await _host.Vault.ListKeysAsync(session.AccountId));
    }

    [Fact]
    public async Task A_management_key_is_never_given_to_a_workflow()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var management = await AddAsync(session, "OpenRouter", "openrouter", ManagementValue, "PROD — OpenRouter — management", management: true);
        var workflows = _host.Services.GetRequiredService<WorkflowService>();

        var (saved, errors) = await workflows.SaveAsync(session.AccountId, null,
            new WorkflowInput("Daily video", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(management.Id, "OPENROUTER_KEY_PROD")]), TestAccounts.Origin);

        Assert.Null(saved);
        Assert.Contains(ManagementKeys.NotForWorkflows, errors.Values);
    }

    [Fact]
    public async Task Creating_at_OpenRouter_needs_the_confirm_its_you_window_and_sends_nothing_without_it()
    {
        var (session, _, rotationId) = await OpenRouterRotationAsync();
        OpenRouterCreates();

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin));

        Assert.Empty(_fake.LogEntries);
    }

    [Fact]
    public async Task Creating_at_OpenRouter_stores_the_returned_key_with_its_hash_and_verifies_the_cap_read_back()
    {
        var (session, old, rotationId) = await OpenRouterRotationAsync(cap: 20m);
        OpenRouterCreates(readBackLimit: 20m);
        await _host.Services.ConfirmItsYouAsync(session);

        var result = await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin);

        Assert.True(result.Succeeded, result.Message);
        Assert.True(result.Message.Contains("cap is set at OpenRouter: checked", StringComparison.Ordinal), result.Message);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.Equal(RotationStep.UpdateWorkflows, rotation!.Step);
        Assert.False(rotation.HasOrphanAtProvider);
        Assert.Null(rotation.ProviderCreateStartedAt);
        var fresh = (await _host.Vault.FindKeysAsync(session.AccountId, [rotation.NewKeyId!.Value]))[rotation.NewKeyId.Value];
        Assert.Equal(ProviderRotationBodies.OpenRouterNewHash, fresh.ProviderKeyId);
        Assert.True(fresh.CapSetAtProvider);
        Assert.Equal(20m, fresh.MonthlyCapUsd);
        Assert.Equal(ProviderRotationBodies.OpenRouterNewValue, await _host.Vault.CopyAsync(session, fresh.Id, TestAccounts.Origin));

        // The documented request: the dated label as the name, the old key's cap as a monthly limit.
        var post = Assert.Single(_fake.LogEntries, e => e.RequestMessage.Method == "POST");
        using var sent = System.Text.Json.JsonDocument.Parse(post.RequestMessage.Body!);
        Assert.Equal("PROD — OpenRouter — Created 2026-12-07", sent.RootElement.GetProperty("name").GetString());
        Assert.Equal(20m, sent.RootElement.GetProperty("limit").GetDecimal());
        Assert.Equal("monthly", sent.RootElement.GetProperty("limit_reset").GetString());
        Assert.NotEqual(old.Id, fresh.Id);

        // Each use of the management key is in the activity log, by name.
        var used = (await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(session.AccountId, 50)).Where(e => e.Action == ActivityAction.ManagementKeyUsed).ToList();
        Assert.Contains(used, e => e.TargetName == "PROD — OpenRouter — management: create “PROD — OpenRouter — Created 2026-12-07”");
    }

    [Fact]
    public async Task A_cap_that_does_not_read_back_the_same_stays_unverified()
    {
        var (session, _, rotationId) = await OpenRouterRotationAsync(cap: 20m);
        OpenRouterCreates(readBackLimit: null);
        await _host.Services.ConfirmItsYouAsync(session);

        var result = await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin);

        Assert.True(result.Succeeded, result.Message);
        Assert.Contains("Set its $20 monthly cap at OpenRouter yourself", result.Message, StringComparison.Ordinal);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.False((await _host.Vault.FindKeysAsync(session.AccountId, [rotation!.NewKeyId!.Value]))[rotation.NewKeyId.Value].CapSetAtProvider);
    }

    [Fact]
    public async Task A_refused_management_key_changes_nothing_and_says_so()
    {
        var (session, _, rotationId) = await OpenRouterRotationAsync();
        _fake.Given(Request.Create().WithPath("/api/v1/keys").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"code":401,"message":"User not found."}}"""));
        await _host.Services.ConfirmItsYouAsync(session);

        var result = await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Contains("refused the management key", result.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing changed in your vault or at OpenRouter", result.Message, StringComparison.Ordinal);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.Equal(RotationStep.NewKey, rotation!.Step);
        Assert.False(rotation.HasOrphanAtProvider);
    }

    [Fact]
    public async Task A_create_that_gets_no_answer_is_sent_once_and_leaves_a_named_maybe_orphan()
    {
        var (session, _, rotationId) = await OpenRouterRotationAsync();
        _fake.Given(Request.Create().WithPath("/api/v1/keys").UsingPost()).RespondWith(Response.Create().WithStatusCode(502));
        await _host.Services.ConfirmItsYouAsync(session);

        var result = await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Equal(1, Requests("POST", "/api/v1/keys"));
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.True(rotation!.HasOrphanAtProvider);
        Assert.Contains("OpenRouter may have a key “PROD — OpenRouter — Created 2026-12-07” that CreatorKeys never stored", ProviderRotationService.OrphanText(rotation, "OpenRouter"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stop_after_the_create_leaves_the_orphan_named_after_a_restart_and_deleting_it_calls_DELETE()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await AddAsync(session, "OpenRouter", "openrouter", ManagementValue, "PROD — OpenRouter — management", management: true);
        var old = await AddAsync(session, "OpenRouter", "openrouter", OldOpenRouterValue, "PROD — OpenRouter — main", cap: 20m);
        var rotationId = (await Rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
        OpenRouterCreates();
        OpenRouterDeletes(ProviderRotationBodies.OpenRouterNewHash);
        await _host.Services.ConfirmItsYouAsync(session);
        Provider.AfterCreatedAtProvider = () => throw new OperationCanceledException("The app stopped.");

        await Assert.ThrowsAsync<OperationCanceledException>(() => Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin));
        Provider.AfterCreatedAtProvider = null;

        // A new host on the same data folder is the restart: only what was saved counts.
        var folder = _host.KeepFolderOnDispose();
        await _host.DisposeAsync();
        _host = await CoreHost.StartAsync(
            new Dictionary<string, string?>
            {
                [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = _fake.Url + "/",
                [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
            },
            folder);
        using var cleanup = folder;
        var restarted = _host.Sessions.Open(await _host.WithAccountsAsync(a => a.UnlockAsync(account, TestAccounts.Password)), emergencyKitPending: false);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.True(rotation!.HasOrphanAtProvider);
        Assert.Equal(ProviderRotationBodies.OpenRouterNewHash, rotation.ProviderCreatedKeyId);
        Assert.Equal("OpenRouter has a key “PROD — OpenRouter — Created 2026-12-07” that CreatorKeys never stored: delete it at OpenRouter, or let CreatorKeys delete it.", ProviderRotationService.OrphanText(rotation, "OpenRouter"));
        Assert.Null(rotation.NewKeyId);

        await _host.Services.ConfirmItsYouAsync(restarted);
        var deleted = await Provider.DeleteOrphanAsync(restarted, rotationId, TestAccounts.Origin);

        Assert.True(deleted.Succeeded, deleted.Message);
        Assert.Equal(1, Requests("DELETE", $"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}"));
        Assert.False((await Rotations.GetAsync(session.AccountId, rotationId))!.HasOrphanAtProvider);
    }

    /// <summary>A rotation whose create reached OpenRouter and whose value was never stored (the app stopped in between).</summary>
    private async Task<(VaultSession Session, Guid RotationId)> OrphanedRotationAsync()
    {
        var (session, _, rotationId) = await OpenRouterRotationAsync();
        OpenRouterCreates();
        OpenRouterDeletes(ProviderRotationBodies.OpenRouterNewHash);
        await _host.Services.ConfirmItsYouAsync(session);
        Provider.AfterCreatedAtProvider = () => throw new OperationCanceledException("The app stopped.");
        await Assert.ThrowsAsync<OperationCanceledException>(() => Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin));
        Provider.AfterCreatedAtProvider = null;
        Assert.True((await Rotations.GetAsync(session.AccountId, rotationId))!.HasOrphanAtProvider);
        return (session, rotationId);
    }

    [Fact]
    public async Task Cancelling_a_rotation_with_an_orphan_is_refused_in_plain_words_and_the_orphan_stays_named()
    {
        var (session, rotationId) = await OrphanedRotationAsync();

        var cancelled = await Rotations.CancelAsync(session.AccountId, rotationId, TestAccounts.Origin);

        Assert.False(cancelled.Succeeded);
        Assert.Equal(
            "Not cancelled: OpenRouter may still have the key “PROD — OpenRouter — Created 2026-12-07” that CreatorKeys started creating and never stored. " +
            "Delete it first (CreatorKeys can do it for you, or do it on OpenRouter's keys page and say so), then cancel.",
            cancelled.Error);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.True(rotation!.IsActive);
        Assert.True(rotation.HasOrphanAtProvider);
        Assert.Equal(0, Requests("DELETE", $"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}"));
    }

    [Fact]
    public async Task Delete_orphan_and_cancel_deletes_it_at_the_provider_then_cancels()
    {
        var (session, rotationId) = await OrphanedRotationAsync();

        var result = await Provider.DeleteOrphanAndCancelAsync(session, rotationId, TestAccounts.Origin);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("“PROD — OpenRouter — Created 2026-12-07” is gone at the provider, and the rotation is cancelled: the old key stays in use.", result.Message);
        Assert.Equal(1, Requests("DELETE", $"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}"));
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.Equal(RotationStep.Cancelled, rotation!.Step);
        Assert.False(rotation.IsActive);
    }

    [Fact]
    public async Task Delete_orphan_and_cancel_keeps_the_rotation_when_the_delete_fails()
    {
        var (session, rotationId) = await OrphanedRotationAsync();
        _fake.Reset();
        _fake.Given(Request.Create().WithPath($"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"code":401,"message":"User not found."}}"""));

        var result = await Provider.DeleteOrphanAndCancelAsync(session, rotationId, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.EndsWith("The rotation is not cancelled.", result.Message, StringComparison.Ordinal);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.True(rotation!.IsActive);
        Assert.True(rotation.HasOrphanAtProvider);
    }

    [Fact]
    public async Task An_orphan_deleted_by_hand_is_forgotten_and_then_the_rotation_cancels()
    {
        var (session, rotationId) = await OrphanedRotationAsync();

        await Provider.ForgetOrphanAsync(session.AccountId, rotationId);
        var cancelled = await Rotations.CancelAsync(session.AccountId, rotationId, TestAccounts.Origin);

        Assert.True(cancelled.Succeeded, cancelled.Error);
        Assert.Equal(0, Requests("DELETE", $"/api/v1/keys/{ProviderRotationBodies.OpenRouterNewHash}"));
    }

    [Fact]
    public async Task Step_4_deletes_the_old_key_at_OpenRouter_by_its_stored_hash()
    {
        var (session, old, rotationId) = await OpenRouterRotationAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        Assert.True((await _host.Vault.SetProviderKeyIdAsync(session, old.Id, "0ldhash0123", null, TestAccounts.Origin)).Succeeded);
        OpenRouterCreates();
        OpenRouterDeletes("0ldhash0123");
        Assert.True((await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin)).Succeeded);
        Assert.True((await Rotations.RetireOldKeyAsync(session.AccountId, rotationId, null, TestAccounts.Origin)).Succeeded);

        var result = await Provider.RetireOldKeyAsync(session, rotationId, TestAccounts.Origin);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("The old key is deleted at OpenRouter.", result.Message);
        Assert.Equal(1, Requests("DELETE", "/api/v1/keys/0ldhash0123"));
    }

    [Fact]
    public async Task A_provider_key_id_that_is_a_stored_value_is_refused()
    {
        var (session, old, _) = await OpenRouterRotationAsync();

        var result = await _host.Vault.SetProviderKeyIdAsync(session, old.Id, ManagementValue, null, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Null((await _host.Vault.FindKeysAsync(session.AccountId, [old.Id]))[old.Id].ProviderKeyId);
    }

    [Fact]
    public async Task OpenAI_lists_projects_creates_a_service_account_in_the_chosen_one_and_deletes_the_old_one()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await AddAsync(session, "OpenAI", "openai", OpenAiAdminValue, "PROD — OpenAI — admin", management: true);
        var old = await AddAsync(session, "OpenAI", "openai", OldOpenAiValue, "PROD — OpenAI — main");
        await _host.Services.ConfirmItsYouAsync(session);
        Assert.True((await _host.Vault.SetProviderKeyIdAsync(session, old.Id, "svc_acct_old", "proj_abc", TestAccounts.Origin)).Succeeded);
        var rotationId = (await Rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
        var auth = $"Bearer {OpenAiAdminValue}";
        _fake.Given(Request.Create().WithPath("/v1/organization/projects").UsingGet().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ProviderRotationBodies.OpenAiProjects));
        _fake.Given(Request.Create().WithPath("/v1/organization/projects/proj_abc/service_accounts").UsingPost().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ProviderRotationBodies.OpenAiServiceAccountCreated));
        _fake.Given(Request.Create().WithPath("/v1/organization/projects/proj_abc/service_accounts/svc_acct_old").UsingDelete().WithHeader("Authorization", auth))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"organization.project.service_account.deleted","id":"svc_acct_old","deleted":true}"""));

        var (projects, error) = await Provider.ListProjectsAsync(session, rotationId, TestAccounts.Origin);
        var created = await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenAI — Created 2026-12-07", null, TestAccounts.Origin);
        Assert.True((await Rotations.RetireOldKeyAsync(session.AccountId, rotationId, null, TestAccounts.Origin)).Succeeded);
        var retired = await Provider.RetireOldKeyAsync(session, rotationId, TestAccounts.Origin);

        Assert.Null(error);
        Assert.Equal(["proj_abc"], projects.Select(p => p.Id));
        Assert.True(created.Succeeded, created.Message);
        Assert.True(retired.Succeeded, retired.Message);
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        var fresh = (await _host.Vault.FindKeysAsync(session.AccountId, [rotation!.NewKeyId!.Value]))[rotation.NewKeyId.Value];
        Assert.Equal(("svc_acct_abc", "proj_abc"), (fresh.ProviderKeyId, fresh.ProviderProjectId));
        Assert.Equal(ProviderRotationBodies.OpenAiNewValue, await _host.Vault.CopyAsync(session, fresh.Id, TestAccounts.Origin));
        Assert.Equal(1, Requests("DELETE", "/v1/organization/projects/proj_abc/service_accounts/svc_acct_old"));
    }

    [Fact]
    public async Task Anthropic_cannot_create_but_deactivates_the_old_key_with_the_admin_key()
    {
        var (_, session, _) = await _host.SignUpAsync();
        const string admin = "sk-ant-admin01-AdminValue0123456789abcdefWXYZ";
        await AddAsync(session, "Anthropic", "anthropic", admin, "PROD — Anthropic — admin", management: true);
        var old = await AddAsync(session, "Anthropic", "anthropic", "sk-ant-api03-OldValue0123456789abcdefWXYZ", "PROD — Anthropic — main");
        await _host.Services.ConfirmItsYouAsync(session);
        Assert.True((await _host.Vault.SetProviderKeyIdAsync(session, old.Id, "apikey_01Rj2N8SVvo6BePZj99NhmiT", null, TestAccounts.Origin)).Succeeded);
        var rotationId = (await Rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
        _fake.Given(Request.Create().WithPath("/v1/organizations/api_keys/apikey_01Rj2N8SVvo6BePZj99NhmiT").UsingPost().WithHeader("x-api-key", admin).WithHeader("anthropic-version", "2023-06-01"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ProviderRotationBodies.AnthropicKey("inactive")));

        var support = await Provider.SupportAsync(session.AccountId, (await Rotations.GetAsync(session.AccountId, rotationId))!);
        await Rotations.AddNewKeyAsync(session, rotationId, "PROD — Anthropic — Created 2026-12-07", "sk-ant-api03-NewValue0123456789abcdefWXYZ", TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True((await Rotations.RetireOldKeyAsync(session.AccountId, rotationId, null, TestAccounts.Origin)).Succeeded);
        var retired = await Provider.RetireOldKeyAsync(session, rotationId, TestAccounts.Origin);

        Assert.False(support.CanCreate);
        Assert.True(support.CanRetireOld);
        Assert.True(retired.Succeeded, retired.Message);
        Assert.Contains("\"status\":\"inactive\"", Assert.Single(_fake.LogEntries).RequestMessage.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_value_is_in_any_log_line_at_trace_or_in_any_address()
    {
        var (session, old, rotationId) = await OpenRouterRotationAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        await _host.Vault.SetProviderKeyIdAsync(session, old.Id, "0ldhash0123", null, TestAccounts.Origin);
        OpenRouterCreates();
        OpenRouterDeletes("0ldhash0123");
        await Provider.CreateNewKeyAsync(session, rotationId, "PROD — OpenRouter — Created 2026-12-07", null, TestAccounts.Origin);
        await Rotations.RetireOldKeyAsync(session.AccountId, rotationId, null, TestAccounts.Origin);
        await Provider.RetireOldKeyAsync(session, rotationId, TestAccounts.Origin);

        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Contains("/api/v1/keys", StringComparison.Ordinal));
        foreach (var value in new[] { ManagementValue, OldOpenRouterValue, ProviderRotationBodies.OpenRouterNewValue })
        {
            Assert.DoesNotContain(_logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(_fake.LogEntries, e => e.RequestMessage.Url.Contains(value, StringComparison.Ordinal));
        }
    }
}
