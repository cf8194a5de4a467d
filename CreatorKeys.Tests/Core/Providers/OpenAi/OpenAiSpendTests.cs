using System.Globalization;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Providers.OpenAi;

/// <summary>
/// OpenAI spend (issue 21 §3): the project's costs read with the stored admin key from a fake OpenAI on loopback
/// answering with the documented <c>GET /v1/organization/costs</c> pages; the confirm-it's-you window, the activity
/// entry, the figure kept; refused, 429 with Retry-After, 5xx retried once, malformed answers, and what is missing.
/// </summary>
public sealed class OpenAiSpendTests : IAsyncLifetime, IDisposable
{
    private const string AdminValue = "sk-admin-OpenAiSpendAdmin0123456789abcdefWXYZ";
    private const string KeyValue = "sk-proj-OpenAiSpendKey0123456789abcdefWXYZ";
    private const string Project = "proj_abc";
    private const string CostsPath = "/v1/organization/costs";
    private readonly WireMockServer _openAi = WireMockServer.Start();
    private readonly LogCapture _logs = new();
    private CoreHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(
        new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = _openAi.Url + "/",
            ["CreatorKeys:Accounts:Registration"] = "Open",
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
        },
        extraServices: services => services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs)));

    public void Dispose() => _logs.Dispose();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _openAi.Stop();
        _openAi.Dispose();
    }

    private StoredSpend Spend => _host.Services.GetRequiredService<StoredSpend>();

    /// <summary>One documented page: a daily bucket per amount, each with this project's line and another project's.</summary>
    private static string Page(bool hasMore, string? nextPage, params decimal[] amounts)
    {
        var buckets = amounts.Select((amount, day) => FormattableString.Invariant(
            $$"""{"object":"bucket","start_time":{{1764547200 + (day * 86400)}},"end_time":{{1764547200 + ((day + 1) * 86400)}},"results":[{"object":"organization.costs.result","amount":{"value":{{amount}},"currency":"usd"},"line_item":null,"project_id":"{{Project}}"},{"object":"organization.costs.result","amount":{"value":99.5,"currency":"usd"},"line_item":null,"project_id":"proj_other"}]}"""));
        return $$"""{"object":"page","data":[{{string.Join(",", buckets)}}],"has_more":{{(hasMore ? "true" : "false")}},"next_page":{{(nextPage is null ? "null" : $"\"{nextPage}\"")}}}""";
    }

    private void Answers(int status, string body, string? page = null)
    {
        var request = Request.Create().WithPath(CostsPath).UsingGet().WithHeader("Authorization", $"Bearer {AdminValue}");
        request = page is null ? request.WithParam(p => !p.ContainsKey("page")) : request.WithParam("page", page);
        _openAi.Given(request).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    private async Task<KeySummary> AddAsync(VaultSession session, string value, string label, bool management = false, decimal? cap = null)
    {
        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, label, value, "openai", cap, IsManagementKey: management), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    /// <summary>An admin key (unless told not to) and a key in <see cref="Project"/> (unless told not to), with the window confirmed.</summary>
    private async Task<(VaultSession Session, KeySummary Key)> SetUpAsync(bool adminKey = true, bool project = true, bool confirm = true)
    {
        var (_, session, _) = await _host.SignUpAsync();
        if (adminKey)
        {
            await AddAsync(session, AdminValue, "PROD — OpenAI — admin", management: true);
        }

        var key = await AddAsync(session, KeyValue, "PROD — OpenAI — main", cap: 50m);
        await _host.Services.ConfirmItsYouAsync(session);
        if (project)
        {
            Assert.True((await _host.Vault.SetProviderKeyIdAsync(session, key.Id, null, Project, TestAccounts.Origin)).Succeeded);
        }

        if (!confirm)
        {
            // The window (10 minutes) closes; the vault stays unlocked.
            _host.Time.Advance(VaultSession.ConfirmationWindow + TimeSpan.FromMinutes(1));
            session.Touch();
        }

        return (session, key);
    }

    private int Requests => _openAi.LogEntries.Count(e => e.RequestMessage.Path == CostsPath);

    [Fact]
    public async Task ReadAsync_TwoPages_SumsTheProjectsCostsSinceTheMonthStarted_AndKeepsThem()
    {
        var (session, key) = await SetUpAsync();
        Answers(200, Page(true, "page_2", 1.25m, 2.5m));
        Answers(200, Page(false, null, 4.75m), page: "page_2");

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Works, result!.Outcome);
        Assert.Equal(new SpendFigures(SpendUnit.Dollars, 8.5m), result.Figures);
        Assert.Contains("project proj_abc (every key in that project)", result.Message, StringComparison.Ordinal);
        Assert.Equal(2, Requests);

        // The documented query: the start of the UTC month in unix seconds, daily buckets grouped by project.
        var now = _host.Time.GetUtcNow();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var first = _openAi.LogEntries[0].RequestMessage;
        Assert.Equal(monthStart.ToString(CultureInfo.InvariantCulture), Assert.Single(first.Query!["start_time"]));
        Assert.Equal("1d", Assert.Single(first.Query["bucket_width"]));
        Assert.Equal("project_id", Assert.Single(first.Query["group_by"]));
        Assert.Equal(Project, Assert.Single(first.Query["project_ids"]));
        Assert.InRange(int.Parse(Assert.Single(first.Query["limit"]), CultureInfo.InvariantCulture), 1, 31);
        Assert.Equal("page_2", Assert.Single(_openAi.LogEntries[^1].RequestMessage.Query!["page"]));

        var kept = await Spend.LatestAsync(session.AccountId, key.Id);
        Assert.Equal((SpendBasis.RecordedCap, 8.5m, 50m), (kept!.Basis, kept.Used, kept.Limit));
        // Wherever the kept figure is shown again (dashboard, digest, near-cap email), it says it is the project's.
        Assert.True(kept.ProjectWide);
        Assert.Equal("Spent $8.50 of $50 this month by the whole OpenAI project, every key in it (as of 14:05), against the monthly cap recorded on this key.", kept.Sentence("14:05"));
        Assert.True(Assert.Single(await Spend.WorstAsync(session.AccountId)).ProjectWide);
        var report = await _host.Services.GetRequiredService<CreatorKeys.Core.Reports.InventoryReportService>().BuildAsync(session.AccountId, new CreatorKeys.Core.Reports.InventoryFilter());
        var row = Assert.Single(report.Rows, r => r.KeyId == key.Id);
        Assert.StartsWith("8.5 USD by the whole project (as of ", CreatorKeys.Core.Reports.InventoryExports.CsvCells(row)[6], StringComparison.Ordinal);

        // The admin key's use is in the activity log, by name, never its value.
        var activity = await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(session.AccountId, 50);
        var used = Assert.Single(activity, e => e.Action == ActivityAction.ManagementKeyUsed);
        Assert.Equal("PROD — OpenAI — admin: read the spend of project proj_abc", used.TargetName);
        Assert.Contains(activity, e => e.Action == ActivityAction.SpendRead);
        Assert.DoesNotContain(activity, e => (e.TargetName ?? "").Contains(AdminValue, StringComparison.Ordinal));
        Assert.DoesNotContain(_openAi.LogEntries, e => e.RequestMessage.Url.Contains(AdminValue, StringComparison.Ordinal));

        // At Trace (HttpClient's own logging writes every request's address): neither value in any line.
        Assert.Contains(_logs.Lines, l => l.Contains(CostsPath, StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(AdminValue, StringComparison.Ordinal) || l.Contains(KeyValue, StringComparison.Ordinal));
    }

    [Fact]
    public void ProjectWideProviders_AreExactlyTheRegisteredProjectReadings()
    {
        var registered = _host.Services.GetServices<IProviderProjectSpendReading>().Select(r => r.ProviderId).Order(StringComparer.Ordinal);
        Assert.Equal(registered, IProviderProjectSpendReading.ProjectWideProviders.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_WithoutTheConfirmItsYouWindow_SendsNothing()
    {
        var (session, key) = await SetUpAsync(confirm: false);
        Answers(200, Page(false, null, 3m));

        await Assert.ThrowsAsync<ConfirmationRequiredException>(() => Spend.ReadAsync(session, key.Id, TestAccounts.Origin));

        Assert.Equal(0, Requests);
        Assert.Null(await Spend.LatestAsync(session.AccountId, key.Id));
    }

    [Fact]
    public async Task ReadAsync_RefusedAdminKey_SaysSo_AndKeepsTheLastFigure()
    {
        var (session, key) = await SetUpAsync();
        Answers(200, Page(false, null, 3m));
        await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);
        _openAi.Reset();
        Answers(401, """{"error":{"message":"Incorrect API key provided: sk-admin-****WXYZ.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Refused, result!.Outcome);
        Assert.Contains("the admin key was revoked, deleted or mistyped", result.Message, StringComparison.Ordinal);
        Assert.Equal(3m, (await Spend.LatestAsync(session.AccountId, key.Id))!.Used);
    }

    [Fact]
    public async Task ReadAsync_TooManyRequests_SaysTheRetryAfterWait_AndDoesNotRetry()
    {
        var (session, key) = await SetUpAsync();
        _openAi.Given(Request.Create().WithPath(CostsPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithBody("""{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"""));

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.TooManyChecks, result!.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Contains("wait 30 seconds", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, Requests);
    }

    [Fact]
    public async Task ReadAsync_ServerErrorThenAnswer_IsRetriedOnce_AndGivesTheFigure()
    {
        var (session, key) = await SetUpAsync();
        _openAi.Given(Request.Create().WithPath(CostsPath).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(502));
        _openAi.Given(Request.Create().WithPath(CostsPath).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(Page(false, null, 6.4m)));

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(new SpendFigures(SpendUnit.Dollars, 6.4m), result!.Figures);
        Assert.Equal(2, Requests);
    }

    [Fact]
    public async Task ReadAsync_ServerErrorTwice_IsNoAnswer_WithNoFigure()
    {
        var (session, key) = await SetUpAsync();
        _openAi.Given(Request.Create().WithPath(CostsPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(500).WithBody("{}"));

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.NoAnswer, result!.Outcome);
        Assert.Null(await Spend.LatestAsync(session.AccountId, key.Id));
        Assert.Equal(2, Requests);
    }

    [Theory]
    [InlineData("<html>maintenance</html>")]
    [InlineData("""{"object":"page","data":[]}""")]
    [InlineData("""{"object":"page","data":[{"object":"bucket","start_time":1764547200,"end_time":1764633600}],"has_more":false,"next_page":null}""")]
    [InlineData("""{"object":"page","data":[{"object":"bucket","results":[{"amount":{"value":"1.5","currency":"usd"},"project_id":"proj_abc"}]}],"has_more":false,"next_page":null}""")]
    [InlineData("""{"object":"page","data":[{"object":"bucket","results":[{"amount":{"value":1.5,"currency":"eur"},"project_id":"proj_abc"}]}],"has_more":false,"next_page":null}""")]
    [InlineData("""{"object":"page","data":[{"object":"bucket","results":[{"amount":{"value":1.5,"currency":"usd"},"project_id":"proj_abc"}]}],"has_more":true,"next_page":null}""")]
    public async Task ReadAsync_AnswerWithoutTheDocumentedFigures_IsUnexpected_NeverZero(string body)
    {
        var (session, key) = await SetUpAsync();
        Answers(200, body);

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Unexpected, result!.Outcome);
        Assert.Null(result.Figures);
        Assert.Null(await Spend.LatestAsync(session.AccountId, key.Id));
    }

    [Fact]
    public async Task ReadAsync_ACursorThatGoesRound_StopsAsUnexpected()
    {
        var (session, key) = await SetUpAsync();
        Answers(200, Page(true, "page_2", 1m));
        Answers(200, Page(true, "page_2", 1m), page: "page_2");

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Unexpected, result!.Outcome);
        Assert.Equal(2, Requests);
    }

    [Fact]
    public async Task ReadAsync_NoProjectChosen_SaysSo_AndSendsNothing()
    {
        var (session, key) = await SetUpAsync(project: false);

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.NotSent, result!.Outcome);
        Assert.Contains("this key's project is not chosen yet", result.Message, StringComparison.Ordinal);
        Assert.Empty(_openAi.LogEntries);
        Assert.Equal(new ProjectSpendSetup("PROD — OpenAI — admin", null), await Spend.ProjectSetupAsync(session.AccountId, key.Id));
    }

    [Fact]
    public async Task ReadAsync_NoAdminKey_SaysSo_AndSendsNothing()
    {
        var (session, key) = await SetUpAsync(adminKey: false);

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.NotSent, result!.Outcome);
        Assert.Contains("to your OpenAI admin key only. Add it in PROD and mark it as a management key.", result.Message, StringComparison.Ordinal);
        Assert.Empty(_openAi.LogEntries);
        Assert.Equal(new ProjectSpendSetup(null, Project), await Spend.ProjectSetupAsync(session.AccountId, key.Id));
    }

    [Fact]
    public async Task ReadAllAsync_LeavesOpenAiKeysToTheirPage_WhereTheAdminKeyIsConfirmed()
    {
        var (session, key) = await SetUpAsync();
        Answers(200, Page(false, null, 3m));

        var results = await Spend.ReadAllAsync(session, [key], TestAccounts.Origin);

        Assert.Empty(results);
        Assert.False(Spend.CanRead(key));
        Assert.Equal(0, Requests);
    }
}
