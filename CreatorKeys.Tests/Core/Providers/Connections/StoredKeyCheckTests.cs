using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>Checking keys stored in the vault: the stored value goes to its provider, the verdict is kept, the activity log says so.</summary>
public sealed class StoredKeyCheckTests : IAsyncLifetime
{
    private const string OpenAiValue = "sk-proj-StoredCheckValue0123456789abcdefWXYZ";
    private readonly WireMockServer _provider = WireMockServer.Start();
    private CoreHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(new Dictionary<string, string?>
    {
        [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = _provider.Url + "/",
        ["CreatorKeys:Accounts:Registration"] = "Open",
        [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
        [$"{RateLimitOptions.Section}:KeyChecksPerMinute"] = "3",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _provider.Stop();
        _provider.Dispose();
    }

    private StoredKeyChecks Checks => _host.Services.GetRequiredService<StoredKeyChecks>();

    private void OpenAiAnswers(int status, string body) =>
        _provider.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {OpenAiValue}"))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    private async Task<KeySummary> AddOpenAiKeyAsync(VaultSession session, string value = OpenAiValue, string label = "PROD — OpenAI — checked")
    {
        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, label, value, ProviderId: "openai"), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    [Fact]
    public async Task The_stored_value_goes_to_its_provider_and_the_verdict_is_kept_with_its_date_and_logged_without_the_value()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddOpenAiKeyAsync(session);
        OpenAiAnswers(200, """{"object":"list","data":[]}""");

        var result = await Checks.CheckAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Works, result!.Outcome);
        var kept = (await Checks.LatestAsync(session.AccountId))[key.Id];
        Assert.Equal(KeyCheckOutcome.Works, kept.Outcome);
        Assert.Equal(_host.Time.GetUtcNow(), kept.CheckedAt);
        var entry = Assert.Single(await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(session.AccountId, 50), e => e.Action == ActivityAction.KeyChecked);
        Assert.Equal("PROD — OpenAI — checked: works", entry.TargetName);
        Assert.DoesNotContain(OpenAiValue, entry.TargetName ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_replaces_the_kept_verdict_but_no_answer_leaves_it()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddOpenAiKeyAsync(session);
        OpenAiAnswers(401, """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
        await Checks.CheckAsync(session, key.Id, TestAccounts.Origin);
        _provider.Reset();
        _provider.Given(Request.Create().WithPath("/v1/models").UsingGet()).RespondWith(Response.Create().WithStatusCode(502));

        var later = await Checks.CheckAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.NoAnswer, later!.Outcome);
        Assert.Equal(KeyCheckOutcome.Refused, (await Checks.LatestAsync(session.AccountId))[key.Id].Outcome);
    }

    [Fact]
    public async Task Another_accounts_key_is_not_checked_and_a_deleted_key_takes_its_verdict_with_it()
    {
        var (_, maya, _) = await _host.SignUpAsync();
        var key = await AddOpenAiKeyAsync(maya);
        var (_, other, _) = await _host.SignUpAsync("other@example.com");
        OpenAiAnswers(200, """{"object":"list","data":[]}""");

        Assert.Null(await Checks.CheckAsync(other, key.Id, TestAccounts.Origin));
        Assert.Empty(_provider.LogEntries);

        await Checks.CheckAsync(maya, key.Id, TestAccounts.Origin);
        Assert.True(await _host.Vault.DeleteAsync(maya.AccountId, key.Id, TestAccounts.Origin));
        Assert.Empty(await Checks.LatestAsync(maya.AccountId));
    }

    [Fact]
    public async Task Checks_are_limited_per_account_and_a_refused_check_sends_nothing()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddOpenAiKeyAsync(session);
        OpenAiAnswers(200, """{"object":"list","data":[]}""");
        for (var i = 0; i < 3; i++)
        {
            await Checks.CheckAsync(session, key.Id, TestAccounts.Origin);
        }

        var error = await Assert.ThrowsAsync<RateLimitedException>(() => Checks.CheckAsync(session, key.Id, TestAccounts.Origin));

        Assert.Contains("checked many keys", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _provider.LogEntries.Count);
    }

    [Fact]
    public async Task Check_all_checks_each_checkable_key_reports_progress_and_stops_at_the_limit()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var values = Enumerable.Range(0, 4).Select(i => $"sk-proj-CheckAll{i}Value0123456789abcdefWXYZ").ToList();
        var keys = new List<KeySummary>();
        foreach (var value in values)
        {
            keys.Add(await AddOpenAiKeyAsync(session, value, $"PROD — OpenAI — {value[16]}"));
        }

        keys.Add(await _host.AddKeyAsync(session, "key_runway_0123456789abcdef", VaultEnvironment.Dev, provider: "Runway"));
        _provider.Given(Request.Create().WithPath("/v1/models").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"list","data":[]}"""));
        var progress = new List<int>();

        var results = await Checks.CheckAllAsync(session, keys, TestAccounts.Origin, new SynchronousProgress(progress.Add));

        Assert.Equal([1, 2, 3], progress);
        Assert.Equal(4, results.Count);
        Assert.All(results.Take(3), r => Assert.Equal(KeyCheckOutcome.Works, r.Result.Outcome));
        Assert.Equal(KeyCheckOutcome.TooManyChecks, results[3].Result.Outcome);
        Assert.DoesNotContain(results, r => r.Key.ProviderName == "Runway");
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
