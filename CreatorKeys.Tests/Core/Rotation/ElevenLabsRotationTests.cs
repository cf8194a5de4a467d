using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Providers.ElevenLabs;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Rotation;

/// <summary>
/// ElevenLabs rotation through workspace service accounts against a WireMock fake answering with the documented bodies
/// (<see cref="ProviderRotationBodies"/>): create with a typed character limit and the old key's permissions, read it
/// back, delete the old key; single-seat accounts told plainly; a create that got no answer is never sent twice.
/// </summary>
public sealed class ElevenLabsRotationTests : IAsyncLifetime, IDisposable
{
    private const string AdminValue = "sk_a0a1a2a3a4a5a6a7a8a9aaabacadaeaf0a1a2a3a4a5a6a7a";
    private const string OldValue = "sk_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071";
    private const string Label = "PROD — ElevenLabs — Created 2026-12-07";
    private const string KeysPath = "/v1/service-accounts/sa_user_123/api-keys";
    private readonly WireMockServer _fake = WireMockServer.Start();
    private readonly LogCapture _logs = new();
    private CoreHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(
        new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:elevenlabs:BaseAddress"] = _fake.Url + "/",
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
            ["CreatorKeys:Accounts:Registration"] = "Open",
        },
        extraServices: services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs)));

    public void Dispose() => _logs.Dispose();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _fake.Stop();
        _fake.Dispose();
    }

    private ProviderRotationService Provider => _host.Services.GetRequiredService<ProviderRotationService>();

    private RotationService Rotations => _host.Services.GetRequiredService<RotationService>();

    private async Task<(VaultSession Session, KeySummary Old, Guid RotationId)> RotationAsync(bool withManagementKey = true, bool knownIds = true)
    {
        var (_, session, _) = await _host.SignUpAsync();
        if (withManagementKey)
        {
            Assert.True((await _host.Vault.AddKeyAsync(session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — admin", AdminValue, "elevenlabs", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true)).Succeeded);
        }

        var old = (await _host.Vault.AddKeyAsync(session, new NewKeyInput("ElevenLabs", VaultEnvironment.Prod, "PROD — ElevenLabs — main", OldValue, "elevenlabs", 20m), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        await _host.Services.ConfirmItsYouAsync(session);
        if (knownIds)
        {
            Assert.True((await _host.Vault.SetProviderKeyIdAsync(session, old.Id, "key_old456", "sa_user_123", TestAccounts.Origin)).Succeeded);
        }

        var rotationId = (await Rotations.StartAsync(session.AccountId, old.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!.Id;
        return (session, old, rotationId);
    }

    private void Lists(int status, string body) =>
        _fake.Given(Request.Create().WithPath("/v1/service-accounts").UsingGet().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private int Requests(string method, string path) => _fake.LogEntries.Count(e => e.RequestMessage.Method == method && e.RequestMessage.Path == path);

    [Fact]
    public async Task Creating_at_ElevenLabs_copies_the_old_keys_permissions_sets_the_typed_character_limit_and_reads_it_back()
    {
        var (session, _, rotationId) = await RotationAsync();
        Lists(200, ProviderRotationBodies.ElevenLabsServiceAccounts(newKeyLimit: 50_000));
        _fake.Given(Request.Create().WithPath(KeysPath).UsingPost().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ProviderRotationBodies.ElevenLabsCreated));

        var support = await Provider.SupportAsync(session.AccountId, (await Rotations.GetAsync(session.AccountId, rotationId))!);
        var result = await Provider.CreateNewKeyAsync(session, rotationId, Label, null, TestAccounts.Origin, characterLimit: 50_000);

        Assert.Equal(("service account", SpendUnit.Characters, true), (support.ProjectNoun, support.LimitUnit, support.CanRetireOld));
        Assert.True(result.Succeeded, result.Message);
        Assert.Contains("limit of 50,000 characters a month is set at ElevenLabs: checked", result.Message, StringComparison.Ordinal);
        var body = Assert.Single(_fake.LogEntries, e => e.RequestMessage.Method == "POST").RequestMessage.Body!;
        Assert.Contains("\"permissions\":[\"text_to_speech\",\"voices_read\"]", body, StringComparison.Ordinal);
        Assert.Contains("\"character_limit\":50000", body, StringComparison.Ordinal);
        using (var sent = System.Text.Json.JsonDocument.Parse(body))
        {
            Assert.Equal(Label, sent.RootElement.GetProperty("name").GetString());
        }

        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        var fresh = (await _host.Vault.FindKeysAsync(session.AccountId, [rotation!.NewKeyId!.Value]))[rotation.NewKeyId.Value];
        Assert.Equal((ProviderRotationBodies.ElevenLabsNewKeyId, "sa_user_123"), (fresh.ProviderKeyId, fresh.ProviderProjectId));
        Assert.False(fresh.CapSetAtProvider); // a character limit is not the key's dollar cap: never marked as if it were
        Assert.Equal(ProviderRotationBodies.ElevenLabsNewValue, await _host.Vault.CopyAsync(session, fresh.Id, TestAccounts.Origin));

        // At Trace (HttpClient's own logging writes every request's address): no value in any line or any address.
        Assert.Contains(_logs.Lines, l => l.Contains(KeysPath, StringComparison.Ordinal));
        foreach (var value in new[] { AdminValue, OldValue, ProviderRotationBodies.ElevenLabsNewValue })
        {
            Assert.DoesNotContain(_logs.Lines, l => l.Contains(value, StringComparison.Ordinal));
            Assert.DoesNotContain(_fake.LogEntries, e => e.RequestMessage.Url.Contains(value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Step_4_deletes_the_old_service_account_key_at_ElevenLabs()
    {
        var (session, _, rotationId) = await RotationAsync();
        _fake.Given(Request.Create().WithPath($"{KeysPath}/key_old456").UsingDelete().WithHeader("xi-api-key", AdminValue))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("{}"));
        await Rotations.AddNewKeyAsync(session, rotationId, Label, ProviderRotationBodies.ElevenLabsNewValue, TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True((await Rotations.RetireOldKeyAsync(session.AccountId, rotationId, null, TestAccounts.Origin)).Succeeded);

        var retired = await Provider.RetireOldKeyAsync(session, rotationId, TestAccounts.Origin);

        Assert.True(retired.Succeeded, retired.Message);
        Assert.Equal("The old key is deleted at ElevenLabs.", retired.Message);
        Assert.Equal(1, Requests("DELETE", $"{KeysPath}/key_old456"));
    }

    [Fact]
    public async Task A_single_seat_account_is_told_in_plain_words_that_only_workspaces_have_this_and_nothing_is_created()
    {
        var (session, _, rotationId) = await RotationAsync(knownIds: false);
        Lists(403, ProviderRotationBodies.ElevenLabsNotAWorkspace);

        var (services, error) = await Provider.ListProjectsAsync(session, rotationId, TestAccounts.Origin);

        Assert.Empty(services);
        Assert.Equal(_host.Services.GetServices<IProviderKeyRotation>().OfType<ElevenLabsKeyRotation>().Single().NotOfferedText, error);
        Assert.Contains("only to workspaces", error, StringComparison.Ordinal);
        Assert.Equal(0, Requests("POST", KeysPath));
        Assert.Equal(RotationStep.NewKey, (await Rotations.GetAsync(session.AccountId, rotationId))!.Step);
    }

    [Fact]
    public async Task A_refused_admin_key_is_a_refusal_not_a_single_seat_account()
    {
        var (session, _, rotationId) = await RotationAsync(knownIds: false);
        Lists(401, """{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}""");

        var (_, error) = await Provider.ListProjectsAsync(session, rotationId, TestAccounts.Origin);

        Assert.Contains("refused the management key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_without_service_accounts_is_told_where_to_make_one()
    {
        var (session, _, rotationId) = await RotationAsync(knownIds: false);
        Lists(200, """{"service-accounts":[]}""");

        var (services, error) = await Provider.ListProjectsAsync(session, rotationId, TestAccounts.Origin);

        Assert.Empty(services);
        Assert.Contains("lists no service account", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_management_key_the_page_says_only_workspaces_can_have_this()
    {
        var (session, _, rotationId) = await RotationAsync(withManagementKey: false, knownIds: false);

        var support = await Provider.SupportAsync(session.AccountId, (await Rotations.GetAsync(session.AccountId, rotationId))!);

        Assert.False(support.HasManagementKey);
        Assert.Contains("only to workspaces", support.WhyNot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_5xx_on_create_is_reported_as_unknown_and_the_create_is_never_sent_twice()
    {
        var (session, _, rotationId) = await RotationAsync();
        Lists(200, ProviderRotationBodies.ElevenLabsServiceAccounts());
        _fake.Given(Request.Create().WithPath(KeysPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("""{"detail":{"status":"service_unavailable","message":"Try again later"}}"""));

        var result = await Provider.CreateNewKeyAsync(session, rotationId, Label, null, TestAccounts.Origin, characterLimit: 50_000);

        Assert.False(result.Succeeded);
        Assert.Contains("not known whether it created", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, Requests("POST", KeysPath));
        var rotation = await Rotations.GetAsync(session.AccountId, rotationId);
        Assert.True(rotation!.HasOrphanAtProvider);
        Assert.Null(rotation.NewKeyId);
    }
}
