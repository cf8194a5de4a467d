using CreatorKeys.Core.Providers.Connections;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>
/// Each provider's documented spend call and answers: the path, the header that carries the key, a working answer
/// with its figures, and the answer to a refused key, copied in shape from the providers' API references.
/// </summary>
public sealed record SpendCase(string Id, string Path, string Header, string HeaderFormat, string WorksBody, SpendFigures Expected, int RefusedStatus, string RefusedBody)
{
    public string HeaderValue(string key) => string.Format(System.Globalization.CultureInfo.InvariantCulture, HeaderFormat, key);

    public override string ToString() => Id;

    public static IReadOnlyList<SpendCase> All { get; } =
    [
        new("openrouter", "/api/v1/key", "Authorization", "Bearer {0}",
            """{"data":{"label":"sk-or-v1-au7...890","limit":20,"limit_remaining":7.6,"limit_reset":"monthly","include_byok_in_limit":false,"usage":31.2,"usage_daily":1.1,"usage_weekly":4.3,"usage_monthly":12.4,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"is_free_tier":false,"is_management_key":false,"is_provisioning_key":false,"rate_limit":{"requests":-1,"interval":"10s","note":"This field is deprecated and safe to ignore."}}}""",
            new SpendFigures(SpendUnit.Dollars, 12.4m, 20m, 12.4m, SpendPeriod.Month),
            401, """{"error":{"code":401,"message":"User not found."}}"""),
        new("elevenlabs", "/v1/user/subscription", "xi-api-key", "{0}",
            """{"tier":"creator","character_count":12400,"character_limit":100000,"max_character_limit_extension":null,"can_extend_character_limit":true,"allowed_to_extend_character_limit":true,"next_character_count_reset_unix":1767225600,"voice_slots_used":3,"voice_limit":30,"professional_voice_limit":1,"can_extend_voice_limit":false,"can_use_instant_voice_cloning":true,"can_use_professional_voice_cloning":true,"currency":"usd","status":"active","billing_period":"monthly_period","character_refresh_period":"monthly_period"}""",
            new SpendFigures(SpendUnit.Characters, 12400m, 100000m, 12400m, SpendPeriod.Month, DateTimeOffset.FromUnixTimeSeconds(1767225600)),
            401, """{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"""),
    ];

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var provider in All)
            {
                data.Add(provider.Id);
            }

            return data;
        }
    }

    public static SpendCase Get(string id) => All.Single(p => p.Id == id);
}

/// <summary>
/// "Read spend" against fake providers on loopback answering with the documented bodies: the figures, a refused key,
/// 429 with Retry-After, a server error retried once, a timeout and malformed JSON, per provider.
/// </summary>
public sealed class SpendReadingTests
{
    private static string KeyFor(string id) => $"test-key-{id}-Sp3nd";

    private static void Answer(FakeProviders fake, SpendCase provider, int status, string body) =>
        fake.Server
            .Given(Request.Create().WithPath(provider.Path).UsingGet().WithHeader(provider.Header, provider.HeaderValue(KeyFor(provider.Id))))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_DocumentedAnswer_GivesTheFigures(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, provider.WorksBody);

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Works, result.Outcome);
        Assert.Equal(provider.Expected, result.Figures);
        Assert.StartsWith("Read:", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_RefusedKey_SaysRefusedInPlainWords_WithNoFigures(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, provider.RefusedStatus, provider.RefusedBody);

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Refused, result.Outcome);
        Assert.Null(result.Figures);
        Assert.Contains("revoked, deleted or mistyped", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_TooManyRequests_SaysTheRetryAfterWait_AndDoesNotRetry(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "45").WithBody("""{"error":{"message":"Rate limit exceeded","code":429}}"""));

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.TooManyChecks, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(45), result.RetryAfter);
        Assert.Contains("wait 45 seconds", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_ServerErrorThenAnswer_IsRetriedOnce_AndGivesTheFigures(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody));

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(provider.Expected, result.Figures);
        Assert.Equal(2, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_ServerErrorTwice_IsNoAnswer(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet()).RespondWith(Response.Create().WithStatusCode(500).WithBody("{}"));

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.NoAnswer, result.Outcome);
        Assert.Contains("Try again in a few minutes", result.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(SpendCase.Ids), MemberType = typeof(SpendCase))]
    public async Task ReadAsync_NoAnswerInTime_IsTriedTwiceThenNoAnswer(string id)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:TimeoutSeconds"] = "1" });
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody).WithDelay(TimeSpan.FromSeconds(5)));

        var started = TimeProvider.System.GetTimestamp();
        var result = await fake.Spend.ReadAsync(id, KeyFor(id));
        var took = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(KeyCheckOutcome.NoAnswer, result.Outcome);
        Assert.Null(result.Figures);
        Assert.Contains("did not answer", result.Message, StringComparison.Ordinal);
        Assert.True(took >= TimeSpan.FromSeconds(1.9), $"a timed-out attempt should be tried once more; the call ended after {took}");
    }

    [Theory]
    [InlineData("openrouter", "{\"data\": {\"usage_monthly\": ")]
    [InlineData("openrouter", """{"data":{"label":"sk-or-v1-abc...123","limit":null,"usage":3}}""")]
    [InlineData("openrouter", """{"data":{"usage_monthly":"twelve"}}""")]
    [InlineData("elevenlabs", "<html>maintenance</html>")]
    [InlineData("elevenlabs", """{"tier":"creator","character_limit":100000}""")]
    public async Task ReadAsync_WorkingAnswerWithoutTheDocumentedFigures_IsUnexpected_NeverZero(string id, string body)
    {
        var provider = SpendCase.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, body);

        var result = await fake.Spend.ReadAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Unexpected, result.Outcome);
        Assert.Null(result.Figures);
        Assert.Contains("does not recognise", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_OpenRouterKeyWithoutALimit_GivesTheMonthOnly()
    {
        var provider = SpendCase.Get("openrouter");
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, """{"data":{"label":"sk-or-v1-abc...123","limit":null,"limit_remaining":null,"limit_reset":null,"usage":40.5,"usage_daily":0.25,"usage_weekly":2,"usage_monthly":9.75,"is_free_tier":false}}""");

        var result = await fake.Spend.ReadAsync("openrouter", KeyFor("openrouter"));

        Assert.Equal(new SpendFigures(SpendUnit.Dollars, 9.75m), result.Figures);
    }

    [Fact]
    public async Task ReadAsync_OpenRouterDailyLimit_ComparesTodayWithTheLimit()
    {
        var provider = SpendCase.Get("openrouter");
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, """{"data":{"limit":5,"limit_remaining":1,"limit_reset":"daily","usage":40.5,"usage_daily":4,"usage_weekly":9,"usage_monthly":22}}""");

        var result = await fake.Spend.ReadAsync("openrouter", KeyFor("openrouter"));

        Assert.Equal(new SpendFigures(SpendUnit.Dollars, 22m, 5m, 4m, SpendPeriod.Day), result.Figures);
    }

    [Fact]
    public async Task ReadAsync_ElevenLabsRestrictedKey_WorksButCannotReadItsUse()
    {
        var provider = SpendCase.Get("elevenlabs");
        using var fake = new FakeProviders();
        Answer(fake, provider, 401, """{"detail":{"status":"missing_permissions","message":"The API key you used is missing the permission user_read to execute this operation."}}""");

        var result = await fake.Spend.ReadAsync("elevenlabs", KeyFor("elevenlabs"));

        Assert.Equal(KeyCheckOutcome.Limited, result.Outcome);
        Assert.Null(result.Figures);
        Assert.Contains("user_read", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_CallsOff_SendsNothing_AndSaysWhy()
    {
        using var fake = new FakeProviders(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:Calls"] = "Off" });

        var result = await fake.Spend.ReadAsync("openrouter", KeyFor("openrouter"));

        Assert.Equal(KeyCheckOutcome.Unavailable, result.Outcome);
        Assert.Contains("turned off", result.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Server.LogEntries);
    }

    [Fact]
    public async Task ReadAsync_ProviderWithoutASpendCall_IsUnavailable_AndOpenAiWaitsForItsAdminKey()
    {
        using var fake = new FakeProviders();

        Assert.Equal(["elevenlabs", "openai", "openrouter"], fake.Spend.ReadableProviders.Order(StringComparer.Ordinal));
        Assert.True(fake.Spend.ReadsPerProject("openai"));
        var result = await fake.Spend.ReadAsync("openai", KeyFor("openai"));
        var groq = await fake.Spend.ReadAsync("groq", KeyFor("groq"));

        Assert.Equal(KeyCheckOutcome.Unavailable, result.Outcome);
        Assert.Contains("to your OpenAI admin key only", result.Message, StringComparison.Ordinal);
        Assert.Equal(KeyCheckOutcome.Unavailable, groq.Outcome);
        Assert.Empty(fake.Server.LogEntries);
    }

    [Fact]
    public async Task ReadAsync_TheKeyIsInNoLogLine_AtTrace()
    {
        var provider = SpendCase.Get("openrouter");
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, provider.WorksBody);

        await fake.Spend.ReadAsync("openrouter", KeyFor("openrouter"));

        Assert.NotEmpty(fake.Logs.Lines);
        Assert.DoesNotContain(fake.Logs.Lines, line => line.Contains(KeyFor("openrouter"), StringComparison.Ordinal));
        Assert.DoesNotContain(fake.Server.LogEntries, e => e.RequestMessage.Url.Contains("Sp3nd", StringComparison.Ordinal));
    }
}
