using System.Net;
using System.Text.Json;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.AccessTokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web.AccessTokens;

/// <summary>The read-only API on the real app over real HTTP: every token outcome, locked vaults, restarts, Mock mode.</summary>
public sealed class AccessTokenApiTests
{
    [Fact]
    public async Task Secrets_WithProdToken_NeverServeAManagementKey()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        var workflowKey = TestAccounts.NewKeyValue();
        await app.AddKeyAsync(session, workflowKey, VaultEnvironment.Prod);
        const string management = "sk-or-v1-Mgmt0123456789abcdef0123456789abcdef0123456789abcdef0123";
        var added = await app.Services.GetRequiredService<VaultService>().AddKeyAsync(
            session, new NewKeyInput("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — management", management, "openrouter", IsManagementKey: true), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(added.Succeeded);
        using var client = ApiClient(app, await CreateTokenAsync(app, session, VaultEnvironment.Prod));

        var body = await (await client.GetAsync("api/v1/secrets")).Content.ReadAsStringAsync();

        Assert.Contains(workflowKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(management, body, StringComparison.Ordinal);
        Assert.DoesNotContain("OPENROUTER", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_WithDevToken_ServesTheEnvironmentsValuesUnderExportNames()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        var first = TestAccounts.NewKeyValue();
        var second = TestAccounts.NewKeyValue();
        await app.AddKeyAsync(session, first, VaultEnvironment.Dev);
        await app.AddKeyAsync(session, second, VaultEnvironment.Dev);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var token = await CreateTokenAsync(app, session, VaultEnvironment.Dev);
        Assert.Matches("^ck_dev_[a-z0-9]+\\.[A-Za-z0-9_-]{43}$", token);
        using var client = ApiClient(app, token);

        using var response = await client.GetAsync("api/v1/secrets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("DEV", json.RootElement.GetProperty("environment").GetString());
        Assert.Equal("Live", json.RootElement.GetProperty("mode").GetString());
        var secrets = json.RootElement.GetProperty("secrets").EnumerateArray().ToList();
        Assert.Equal(["OPENAI_API_KEY", "OPENAI_API_KEY_2"], secrets.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal([first, second], secrets.Select(s => s.GetProperty("value").GetString()));
        Assert.Equal("OpenAI", secrets[0].GetProperty("provider").GetString());
        Assert.StartsWith("DEV — OpenAI", secrets[0].GetProperty("label").GetString(), StringComparison.Ordinal);
        Assert.Equal("ends " + first[^4..], secrets[0].GetProperty("hint").GetString());
        Assert.EndsWith("Z", secrets[0].GetProperty("updated").GetString(), StringComparison.Ordinal);

        using var one = await client.GetAsync("api/v1/secrets/OPENAI_API_KEY_2");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        using var oneJson = JsonDocument.Parse(await one.Content.ReadAsStringAsync());
        Assert.Equal(second, oneJson.RootElement.GetProperty("value").GetString());

        using var missing = await client.GetAsync("api/v1/secrets/NOT_THERE");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        using var environments = await client.GetAsync("api/v1/environments");
        using var environmentsJson = JsonDocument.Parse(await environments.Content.ReadAsStringAsync());
        Assert.Equal("test token", environmentsJson.RootElement.GetProperty("token").GetProperty("name").GetString());
        var environment = Assert.Single(environmentsJson.RootElement.GetProperty("environments").EnumerateArray().ToList());
        Assert.Equal("DEV", environment.GetProperty("name").GetString());
        Assert.Equal("Live", environment.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Secrets_BadTokens_AllGetTheSame401()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var token = await CreateTokenAsync(app, session, VaultEnvironment.Dev);
        var wrongSecret = token[..token.IndexOf('.', StringComparison.Ordinal)] + "." + Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var otherPrefix = token.Replace("ck_dev_", "ck_prod_", StringComparison.Ordinal);

        var bodies = new List<string>();
        foreach (var bad in new[] { null, "", "not-a-token", wrongSecret, otherPrefix })
        {
            using var client = ApiClient(app, bad);
            using var response = await client.GetAsync("api/v1/secrets");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        Assert.Single(bodies.Distinct());
        using var good = ApiClient(app, token);
        Assert.Equal(HttpStatusCode.OK, (await good.GetAsync("api/v1/secrets")).StatusCode);
    }

    [Fact]
    public async Task Secrets_AfterExpiryOrRevoke_Refused()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        var session = await SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var expiring = await CreateTokenAsync(app, session, VaultEnvironment.Dev, TokenLifetime.Days30);
        var revoked = await CreateTokenAsync(app, session, VaultEnvironment.Dev, TokenLifetime.Never);
        using var expiringClient = ApiClient(app, expiring);
        using var revokedClient = ApiClient(app, revoked);
        Assert.Equal(HttpStatusCode.OK, (await expiringClient.GetAsync("api/v1/secrets")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await revokedClient.GetAsync("api/v1/secrets")).StatusCode);

        var tokens = app.Services.GetRequiredService<AccessTokenService>();
        Assert.True(await tokens.RevokeAsync(session.AccountId, IdOf(revoked), TestAccounts.Origin));
        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedClient.GetAsync("api/v1/secrets")).StatusCode);

        time.Advance(TimeSpan.FromDays(29));
        Assert.Equal(HttpStatusCode.OK, (await expiringClient.GetAsync("api/v1/secrets")).StatusCode);
        time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await expiringClient.GetAsync("api/v1/secrets")).StatusCode);

        var list = await tokens.ListAsync(session.AccountId);
        Assert.All(list, t => Assert.False(t.IsActive(time.GetUtcNow())));
    }

    [Fact]
    public async Task Secrets_AskingForAnotherEnvironment_Is403()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var token = await CreateTokenAsync(app, session, VaultEnvironment.Dev);
        using var client = ApiClient(app, token);

        using var prod = await client.GetAsync("api/v1/secrets?environment=PROD");
        using var dev = await client.GetAsync("api/v1/secrets?environment=dev");

        Assert.Equal(HttpStatusCode.Forbidden, prod.StatusCode);
        Assert.Equal("application/problem+json", prod.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, dev.StatusCode);
    }

    [Fact]
    public async Task Secrets_OverTheTokensLimit_Is429WithRetryAfter_OtherTokensUnaffected()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:RateLimits:ApiRequestsPerMinute"] = "3" });
        var session = await SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var busy = await CreateTokenAsync(app, session, VaultEnvironment.Dev);
        var quiet = await CreateTokenAsync(app, session, VaultEnvironment.Dev);
        using var client = ApiClient(app, busy);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/secrets")).StatusCode);
        }

        using var limited = await client.GetAsync("api/v1/secrets");

        Assert.Equal((HttpStatusCode)429, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After in seconds");
        using var other = ApiClient(app, quiet);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/v1/secrets")).StatusCode);
    }

    [Fact]
    public async Task Secrets_WhileVaultLockedAndAfterRestart_StillServed()
    {
        using var folder = new TempFolder();
        var value = TestAccounts.NewKeyValue();
        string token;
        using (var first = AppHost.Start(folder))
        {
            var session = await SignUpAsync(first);
            await first.AddKeyAsync(session, value, VaultEnvironment.Staging);
            token = await CreateTokenAsync(first, session, VaultEnvironment.Staging);
            first.Sessions.LockAccount(session.AccountId, VaultLockReason.SignedOut);
            Assert.Empty(first.OpenSessions());
            using var client = ApiClient(first, token);
            Assert.Equal(value, await ValueAsync(client, "OPENAI_API_KEY"));
        }

        using var second = AppHost.Start(folder);
        Assert.Empty(second.OpenSessions());
        using var restarted = ApiClient(second, token);
        Assert.Equal(value, await ValueAsync(restarted, "OPENAI_API_KEY"));
    }

    [Fact]
    public async Task Secrets_InMockMode_ServeFakeValues_ProdRefusedAsMock()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        var devValue = TestAccounts.NewKeyValue();
        var stagingKey = await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging);
        await app.AddKeyAsync(session, devValue, VaultEnvironment.Dev);
        var prodKey = await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        using var dev = ApiClient(app, await CreateTokenAsync(app, session, VaultEnvironment.Dev));
        using var staging = ApiClient(app, await CreateTokenAsync(app, session, VaultEnvironment.Staging));
        var tokens = app.Services.GetRequiredService<AccessTokenService>();

        Assert.Null(await tokens.SetModeAsync(session.AccountId, VaultEnvironment.Dev, EnvironmentMode.Mock, TestAccounts.Origin));
        Assert.Null(await tokens.SetKeyMockAsync(session.AccountId, stagingKey.Id, mock: true, TestAccounts.Origin));
        var prodRefused = await tokens.SetModeAsync(session.AccountId, VaultEnvironment.Prod, EnvironmentMode.Mock, TestAccounts.Origin);
        var prodKeyRefused = await tokens.SetKeyMockAsync(session.AccountId, prodKey.Id, mock: true, TestAccounts.Origin);

        Assert.Equal("mock-openai-key-dev", await ValueAsync(dev, "OPENAI_API_KEY"));
        Assert.Equal("mock-openai-key-staging", await ValueAsync(staging, "OPENAI_API_KEY"));
        using var environments = JsonDocument.Parse(await dev.GetStringAsync("api/v1/environments"));
        Assert.Equal("Mock", environments.RootElement.GetProperty("environments")[0].GetProperty("mode").GetString());
        Assert.Equal(EnvironmentModes.ProdMustBeLiveMessage, prodRefused);
        Assert.Equal(EnvironmentModes.ProdMustBeLiveMessage, prodKeyRefused);
        Assert.Equal(EnvironmentMode.Live, (await tokens.ListModesAsync(session.AccountId))[VaultEnvironment.Prod]);

        Assert.Null(await tokens.SetModeAsync(session.AccountId, VaultEnvironment.Dev, EnvironmentMode.Live, TestAccounts.Origin));
        Assert.Equal(devValue, await ValueAsync(dev, "OPENAI_API_KEY"));
    }

    [Fact]
    public async Task ReplacingTheVaultKey_RevokesEveryToken_AndSaysSo()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        using var client = ApiClient(app, await CreateTokenAsync(app, session, VaultEnvironment.Dev));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/secrets")).StatusCode);

        AccountOutcome outcome;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<ReplaceVaultKeyCommand>().ReplaceAsync(session, TestAccounts.Password, null, TestAccounts.Origin);
        }

        Assert.True(outcome.Succeeded);
        Assert.Equal(1, outcome.RevokedAccessTokens);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/secrets")).StatusCode);
        var entry = (await app.Services.GetRequiredService<ActivityService>().ListAsync(session.AccountId, new ActivityFilter(ActivityAction.VaultKeyReplaced), 1)).Single();
        Assert.Contains("1 access token revoked", entry.TargetName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryUse_IsOneActivityEntry_WithNamesAndAddress_NeverValues()
    {
        using var app = AppHost.Start();
        var session = await SignUpAsync(app);
        var value = TestAccounts.NewKeyValue();
        await app.AddKeyAsync(session, value, VaultEnvironment.Dev);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        using var client = ApiClient(app, await CreateTokenAsync(app, session, VaultEnvironment.Dev));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/secrets")).StatusCode);

        var uses = await app.Services.GetRequiredService<ActivityService>().ListAsync(session.AccountId, new ActivityFilter(ActivityAction.AccessTokenUsed), 10);
        var use = Assert.Single(uses);
        Assert.Equal("test token: OPENAI_API_KEY, OPENAI_API_KEY_2", use.TargetName);
        Assert.Equal("127.0.0.1", use.IpAddress);
        Assert.Equal(VaultEnvironment.Dev, use.Environment);
        Assert.DoesNotContain(value, use.TargetName!, StringComparison.Ordinal);
        var listed = Assert.Single(await app.Services.GetRequiredService<AccessTokenService>().ListAsync(session.AccountId));
        Assert.Equal("127.0.0.1", listed.LastUsedFrom);
        Assert.NotNull(listed.LastUsedAt);
    }

    [Fact]
    public async Task Api_ReadsNoCookie_AndPublishesItsOpenApiDocument()
    {
        using var app = AppHost.Start();
        using var browser = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(browser);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);

        // The signed-in browser's cookie alone opens nothing here.
        using var withCookie = await browser.Http.GetAsync("api/v1/secrets");
        Assert.Equal(HttpStatusCode.Unauthorized, withCookie.StatusCode);

        using var plain = app.NewHttpClient();
        using var document = JsonDocument.Parse(await plain.GetStringAsync("openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/secrets", out _));
        Assert.True(paths.TryGetProperty("/api/v1/secrets/{name}", out _));
        Assert.True(paths.TryGetProperty("/api/v1/environments", out _));
    }

    [Theory]
    [InlineData(false, "127.0.0.1", true)]
    [InlineData(false, "::1", true)]
    [InlineData(false, "::ffff:127.0.0.1", true)]
    [InlineData(false, "192.168.1.20", false)]
    [InlineData(false, "2001:db8::1", false)]
    [InlineData(true, "192.168.1.20", true)]
    public void IsTransportAllowed_PlainHttpOnlyFromThisMachine(bool https, string address, bool allowed) =>
        Assert.Equal(allowed, AccessTokenApi.IsTransportAllowed(https, IPAddress.Parse(address)));

    internal static async Task<VaultSession> SignUpAsync(AppHost app)
    {
        using var browser = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(browser);
        await app.Services.ConfirmItsYouAsync(session);
        return session;
    }

    internal static async Task<string> CreateTokenAsync(AppHost app, VaultSession session, VaultEnvironment environment, TokenLifetime lifetime = TokenLifetime.Days90)
    {
        var created = await app.Services.GetRequiredService<AccessTokenService>().CreateAsync(
            session, new NewTokenInput("test token", environment, lifetime, TypedWord: environment == VaultEnvironment.Prod ? "PROD" : null), TestAccounts.Origin);
        Assert.True(created.Succeeded, created.Error);
        return created.TokenText!;
    }

    internal static HttpClient ApiClient(AppHost app, string? token)
    {
        var client = new HttpClient { BaseAddress = app.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return client;
    }

    private static async Task<string?> ValueAsync(HttpClient client, string name)
    {
        using var response = await client.GetAsync($"api/v1/secrets/{name}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("value").GetString();
    }

    private static string IdOf(string token) => AccessTokenCrypto.IdOf(token)!;
}
