using CreatorKeys.Core.Providers.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>
/// "Check this key" against fake providers on loopback that answer with each provider's documented bodies: every
/// provider's works and refused answers, its "works but" answers, and the failures every provider can have
/// (timeout, 429, 5xx, malformed JSON, no server at all).
/// </summary>
public sealed class KeyCheckTests
{
    private static string KeyFor(string id) => $"test-key-{id}-Zq81";

    private static void Answer(FakeProviders fake, ProviderCase provider, int status, string body, string? key = null) =>
        fake.Server
            .Given(Request.Create().WithPath(provider.Path).UsingGet().WithHeader(provider.Header, provider.HeaderValue(key ?? KeyFor(provider.Id))))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Theory]
    [MemberData(nameof(ProviderCases.Ids), MemberType = typeof(ProviderCases))]
    public async Task A_key_the_provider_accepts_works(string id)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, provider.WorksBody);

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Works, result.Outcome);
        Assert.StartsWith("Works:", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Ids), MemberType = typeof(ProviderCases))]
    public async Task A_key_the_provider_refuses_is_refused_in_plain_words_and_not_retried(string id)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, provider.RefusedStatus, provider.RefusedBody);

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Refused, result.Outcome);
        Assert.Contains("revoked, deleted or mistyped", result.Message, StringComparison.Ordinal);
        Assert.Equal(provider.RefusedStatus, result.HttpStatus);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Ids), MemberType = typeof(ProviderCases))]
    public async Task A_working_answer_that_is_not_the_documented_json_is_unexpected_not_works(string id)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, 200, "{\"data\": [ {\"id\": ");

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Unexpected, result.Outcome);
        Assert.Contains("does not recognise", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Ids), MemberType = typeof(ProviderCases))]
    public async Task Too_many_checks_says_how_long_the_provider_asks_to_wait_and_does_not_retry(string id)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "30").WithBody("{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}"));

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.TooManyChecks, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), result.RetryAfter);
        Assert.Contains("wait 30 seconds", result.Message, StringComparison.Ordinal);
        Assert.Equal(1, fake.RequestsTo(provider.Path));
    }

    [Theory]
    [MemberData(nameof(ProviderCases.Ids), MemberType = typeof(ProviderCases))]
    public async Task A_server_error_is_retried_once_then_reported_as_no_answer(string id)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(id == "anthropic" ? 529 : 500).WithBody("{\"error\":\"overloaded\"}"));

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.NoAnswer, result.Outcome);
        Assert.Contains("Try again in a few minutes", result.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.RequestsTo(provider.Path));
    }

    [Fact]
    public async Task A_server_error_followed_by_an_answer_is_the_answer()
    {
        var provider = ProviderCases.Get("openai");
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody));

        var result = await fake.Checks.CheckAsync("openai", KeyFor("openai"));

        Assert.Equal(KeyCheckOutcome.Works, result.Outcome);
        Assert.Equal(2, fake.RequestsTo(provider.Path));
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_is_tried_twice_then_reported()
    {
        var provider = ProviderCases.Get("anthropic");
        using var fake = new FakeProviders(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:TimeoutSeconds"] = "1" });
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody).WithDelay(TimeSpan.FromSeconds(5)));

        var started = TimeProvider.System.GetTimestamp();
        var result = await fake.Checks.CheckAsync("anthropic", KeyFor("anthropic"));
        var took = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(KeyCheckOutcome.NoAnswer, result.Outcome);
        Assert.Contains("did not answer", result.Message, StringComparison.Ordinal);
        // The 5-second answer was never waited for (it would have been "works"). WireMock logs a request only once
        // it has answered, so the retry shows in the time taken: one 1-second attempt would end near 1 s.
        Assert.True(took >= TimeSpan.FromSeconds(1.9), $"a timed-out attempt should be tried once more; the call ended after {took}");
    }

    [Fact]
    public async Task No_server_at_all_is_no_answer()
    {
        int closedPort;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            closedPort = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        using var fake = new FakeProviders(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:groq:BaseAddress"] = $"http://127.0.0.1:{closedPort}/" });

        var result = await fake.Checks.CheckAsync("groq", KeyFor("groq"));

        Assert.Equal(KeyCheckOutcome.NoAnswer, result.Outcome);
        Assert.Equal("Groq did not answer. Try again in a few minutes.", result.Message);
    }

    public static TheoryData<string, int, string, string> WorksButCases => new()
    {
        { "openai", 429, """{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""", "no credit left" },
        { "openai", 401, """{"error":{"message":"You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.","type":"invalid_request_error","param":null,"code":null}}""", "restricted key" },
        { "anthropic", 403, """{"type":"error","error":{"type":"permission_error","message":"Your API key does not have permission to use the specified resource."}}""", "does not have permission" },
        { "elevenlabs", 401, """{"detail":{"status":"missing_permissions","message":"The API key you used is missing the permission user_read to execute this operation."}}""", "restricted key" },
        { "google-gemini", 403, """{"error":{"code":403,"message":"Generative Language API has not been used in project 1234 before or it is disabled.","status":"PERMISSION_DENIED"}}""", "may not use Gemini" },
        { "openrouter", 200, """{"data":{"label":"sk-or-v1-abc...123","limit":20,"usage":20,"is_free_tier":false,"limit_remaining":0,"limit_reset":"monthly"}}""", "used up its own credit limit" },
    };

    [Theory]
    [MemberData(nameof(WorksButCases))]
    public async Task A_key_that_works_but_cannot_do_everything_says_what_it_cannot_do(string id, int status, string body, string cannotDo)
    {
        var provider = ProviderCases.Get(id);
        using var fake = new FakeProviders();
        Answer(fake, provider, status, body);

        var result = await fake.Checks.CheckAsync(id, KeyFor(id));

        Assert.Equal(KeyCheckOutcome.Limited, result.Outcome);
        Assert.True(result.KeyWorks);
        Assert.StartsWith("Works, but ", result.Message, StringComparison.Ordinal);
        Assert.Contains(cannotDo, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anthropic_gets_its_version_header()
    {
        var provider = ProviderCases.Get("anthropic");
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet().WithHeader("anthropic-version", "2023-06-01").WithHeader("x-api-key", KeyFor("anthropic")))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody));

        Assert.Equal(KeyCheckOutcome.Works, (await fake.Checks.CheckAsync("anthropic", KeyFor("anthropic"))).Outcome);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_so_the_key_goes_nowhere_else()
    {
        var provider = ProviderCases.Get("openai");
        using var fake = new FakeProviders();
        fake.Server.Given(Request.Create().WithPath(provider.Path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", fake.Server.Url + "/elsewhere"));
        fake.Server.Given(Request.Create().WithPath("/elsewhere").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(provider.WorksBody));

        var result = await fake.Checks.CheckAsync("openai", KeyFor("openai"));

        Assert.Equal(KeyCheckOutcome.Unexpected, result.Outcome);
        Assert.Equal(0, fake.RequestsTo("/elsewhere"));
    }

    [Fact]
    public async Task With_calls_turned_off_nothing_is_sent_and_the_reason_is_given()
    {
        var provider = ProviderCases.Get("openai");
        using var fake = new FakeProviders(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:Calls"] = "Off" });
        Answer(fake, provider, 200, provider.WorksBody);

        var result = await fake.Checks.CheckAsync("openai", KeyFor("openai"));

        Assert.False(fake.Checks.CallsAllowed);
        Assert.Equal(KeyCheckOutcome.Unavailable, result.Outcome);
        Assert.Contains("turned off on this CreatorKeys", result.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Server.LogEntries);
    }

    [Fact]
    public async Task A_provider_without_a_documented_check_says_so_and_sends_nothing()
    {
        using var fake = new FakeProviders();

        var result = await fake.Checks.CheckAsync("runway", "key_0123456789abcdef");

        Assert.False(fake.Checks.CanCheck("runway"));
        Assert.Equal(KeyCheckOutcome.Unavailable, result.Outcome);
        Assert.Contains("Runway", result.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Server.LogEntries);
    }

    [Theory]
    [InlineData("sk-proj-abc def")]
    [InlineData("sk-proj-abc\r\nX-Injected: 1")]
    [InlineData("sk-proj-abcé")]
    [InlineData("   ")]
    public async Task A_value_no_header_can_carry_is_not_sent(string value)
    {
        using var fake = new FakeProviders();

        var result = await fake.Checks.CheckAsync("openai", value);

        Assert.Equal(KeyCheckOutcome.NotSent, result.Outcome);
        Assert.Empty(fake.Server.LogEntries);
    }

    [Fact]
    public void Every_provider_the_issue_lists_has_a_check()
    {
        using var fake = new FakeProviders();

        Assert.Equal(
            ProviderCases.All.Select(p => p.Id).Order(StringComparer.Ordinal),
            fake.Checks.CheckableProviders.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_key_value_is_in_no_log_line_even_at_trace_and_never_in_an_address()
    {
        using var fake = new FakeProviders();
        foreach (var provider in ProviderCases.All)
        {
            Answer(fake, provider, 200, provider.WorksBody);
        }

        foreach (var provider in ProviderCases.All)
        {
            Assert.Equal(KeyCheckOutcome.Works, (await fake.Checks.CheckAsync(provider.Id, KeyFor(provider.Id))).Outcome);
        }

        Assert.Contains(fake.Logs.Lines, line => line.Contains("/v1/models", StringComparison.Ordinal));
        foreach (var provider in ProviderCases.All)
        {
            Assert.DoesNotContain(fake.Logs.Lines, line => line.Contains(KeyFor(provider.Id), StringComparison.Ordinal));
            Assert.DoesNotContain(fake.Logs.Lines, line => line.Contains("Zq81", StringComparison.Ordinal));
        }

        Assert.All(fake.Server.LogEntries, entry => Assert.DoesNotContain("Zq81", entry.RequestMessage.Url, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("openai", "http://proxy.example.com/", "must start with https://")]
    [InlineData("openai", "ftp://proxy.example.com/", "full web address")]
    [InlineData("openai", "https://proxy.example.com/?key=1", "must not carry a query")]
    [InlineData("opena", "https://proxy.example.com/", "names no provider")]
    public void A_base_address_that_could_leak_keys_or_names_no_provider_stops_the_start(string id, string address, string reason)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:{id}:BaseAddress"] = address,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddSingleton<IConfiguration>(configuration);
        services.AddProviderConnections(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ProviderConnectionOptions>>().Value);

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_address_replaces_the_documented_host()
    {
        var options = new ProviderConnectionOptions();
        options.BaseAddresses["openai"] = "https://proxy.example.com/openai";

        Assert.Equal(new Uri("https://proxy.example.com/openai/"), options.BaseAddressFor("openai", new Uri("https://api.openai.com/")));
        Assert.Equal(new Uri("https://api.anthropic.com/"), options.BaseAddressFor("anthropic", new Uri("https://api.anthropic.com/")));
    }
}
