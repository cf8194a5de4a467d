using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>Reading the spend of stored keys: the figures are kept with their date, shown while the vault is locked, compared with the right cap, listed worst first.</summary>
public sealed class StoredSpendTests : IAsyncLifetime
{
    private const string Value = "sk-or-v1-StoredSpendValue0123456789abcdef0123456789abcdef0123456789abcd";
    private readonly WireMockServer _provider = WireMockServer.Start();
    private CoreHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreHost.StartAsync(new Dictionary<string, string?>
    {
        [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = _provider.Url + "/",
        [$"{ProviderConnectionOptions.Section}:elevenlabs:BaseAddress"] = _provider.Url + "/",
        ["CreatorKeys:Accounts:Registration"] = "Open",
        [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
    });

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _provider.Stop();
        _provider.Dispose();
    }

    private StoredSpend Spend => _host.Services.GetRequiredService<StoredSpend>();

    private void OpenRouterAnswers(string value, int status, string body) =>
        _provider.Given(Request.Create().WithPath("/api/v1/key").UsingGet().WithHeader("Authorization", $"Bearer {value}"))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    private static string Usage(decimal month, decimal? limit = null) => limit is { } l
        ? FormattableString.Invariant($"{{\"data\":{{\"limit\":{l},\"limit_remaining\":{l - month},\"limit_reset\":\"monthly\",\"usage\":{month},\"usage_daily\":0,\"usage_weekly\":0,\"usage_monthly\":{month}}}}}")
        : FormattableString.Invariant($"{{\"data\":{{\"limit\":null,\"limit_remaining\":null,\"limit_reset\":null,\"usage\":{month},\"usage_daily\":0,\"usage_weekly\":0,\"usage_monthly\":{month}}}}}");

    private async Task<KeySummary> AddAsync(VaultSession session, string value, string label, decimal? cap, VaultEnvironment environment = VaultEnvironment.Prod, string providerId = "openrouter", string provider = "OpenRouter")
    {
        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput(provider, environment, label, value, ProviderId: providerId, MonthlyCapUsd: cap), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    [Fact]
    public async Task ReadAsync_KeepsTheFiguresWithTheirDate_AndLogsWhichKeyAndProvider_NeverTheValue()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddAsync(session, Value, "PROD — OpenRouter — main", cap: 20);
        OpenRouterAnswers(Value, 200, Usage(12.4m));

        var result = await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        Assert.Equal(KeyCheckOutcome.Works, result!.Outcome);
        var kept = await Spend.LatestAsync(session.AccountId, key.Id);
        Assert.Equal(_host.Time.GetUtcNow(), kept!.ReadAt);
        Assert.Equal((SpendBasis.RecordedCap, 12.4m, 20m), (kept.Basis, kept.Used, kept.Limit));
        Assert.Equal("Spent $12.40 of $20 this month (as of 14:05), against the monthly cap recorded on this key.", kept.Sentence("14:05"));
        var entry = Assert.Single(await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(session.AccountId, 50), e => e.Action == ActivityAction.SpendRead);
        Assert.Equal("PROD — OpenRouter — main (OpenRouter): spend read", entry.TargetName);
        Assert.DoesNotContain(Value, entry.TargetName ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatestAsync_VaultLocked_StillShowsTheLastKnownFigure_AndAFailedReadingKeepsIt()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddAsync(session, Value, "PROD — OpenRouter — main", cap: 20);
        OpenRouterAnswers(Value, 200, Usage(18m));
        await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);
        var readAt = _host.Time.GetUtcNow();
        _host.Time.Advance(TimeSpan.FromHours(3));
        _provider.Reset();
        _provider.Given(Request.Create().WithPath("/api/v1/key").UsingGet()).RespondWith(Response.Create().WithStatusCode(502));
        Assert.Equal(KeyCheckOutcome.NoAnswer, (await Spend.ReadAsync(session, key.Id, TestAccounts.Origin))!.Outcome);

        _host.Sessions.Lock(session.Id, VaultLockReason.SignedOut);

        Assert.Null(_host.Sessions.Find(session.Id));
        var kept = await Spend.LatestAsync(session.AccountId, key.Id);
        Assert.Equal((18m, readAt), (kept!.Used, kept.ReadAt));
        var worst = Assert.Single(await Spend.WorstAsync(session.AccountId));
        Assert.True(worst.NearCap);
        await Assert.ThrowsAsync<VaultLockedException>(() => Spend.ReadAsync(session, key.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task WorstAsync_OrdersByShareOfCapOrLimit_WorstFirst_KeysWithoutACapLast_AndIsBounded()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var values = Enumerable.Range(0, 5).Select(i => $"sk-or-v1-Worst{i}Value0123456789abcdef0123456789abcdef0123456789abcdef").ToList();
        var half = await AddAsync(session, values[0], "PROD — OpenRouter — half", cap: 20);
        var over = await AddAsync(session, values[1], "STAGING — OpenRouter — over", cap: 10, VaultEnvironment.Staging);
        var uncapped = await AddAsync(session, values[2], "DEV — OpenRouter — no cap", cap: null, VaultEnvironment.Dev);
        // The provider's own limit wins over the recorded cap: 45 of 50 is 90%, though 45 of the recorded 500 is 9%.
        var limited = await AddAsync(session, values[3], "PROD — OpenRouter — limited", cap: 500);
        var quiet = await AddAsync(session, values[4], "PROD — OpenRouter — quiet", cap: 100);
        OpenRouterAnswers(values[0], 200, Usage(10m));
        OpenRouterAnswers(values[1], 200, Usage(10.5m));
        OpenRouterAnswers(values[2], 200, Usage(99m));
        OpenRouterAnswers(values[3], 200, Usage(45m, limit: 50));
        OpenRouterAnswers(values[4], 200, Usage(1m));
        foreach (var key in new[] { half, over, uncapped, limited, quiet })
        {
            Assert.Equal(KeyCheckOutcome.Works, (await Spend.ReadAsync(session, key.Id, TestAccounts.Origin))!.Outcome);
        }

        var (_, other, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);

        var worst = await Spend.WorstAsync(session.AccountId, take: 4);

        Assert.Equal([over.Id, limited.Id, half.Id, quiet.Id], worst.Select(s => s.KeyId));
        Assert.Equal([true, true, false, false], worst.Select(s => s.NearCap));
        Assert.Equal(SpendBasis.ProviderLimit, worst[1].Basis);
        Assert.Equal("against the limit OpenRouter reports for this key", worst[1].Against);
        Assert.Equal("over its cap: 105% used", worst[0].ShareWords);
        Assert.Equal(uncapped.Id, (await Spend.WorstAsync(session.AccountId, take: 10))[^1].KeyId);
        Assert.Empty(await Spend.WorstAsync(other.AccountId));
    }

    [Fact]
    public async Task WorstAsync_AReadingFiledUnderTheWrongAccount_NeverShowsAnotherAccountsKey()
    {
        // The query asks the account of the readings only (so SQLite starts from them, not from every key); the key's
        // own account is still checked, so a reading that names another account's key shows nothing.
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddAsync(session, Value, "PROD — OpenRouter — mine", cap: 20);
        OpenRouterAnswers(Value, 200, Usage(10m));
        Assert.Equal(KeyCheckOutcome.Works, (await Spend.ReadAsync(session, key.Id, TestAccounts.Origin))!.Outcome);
        var (_, other, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            var reading = await db.KeySpends.SingleAsync(s => s.KeyId == key.Id);
            reading.AccountId = other.AccountId;
            await db.SaveChangesAsync();
        }

        Assert.Empty(await Spend.WorstAsync(other.AccountId));
        Assert.Empty(await Spend.WorstAsync(session.AccountId));
    }

    [Fact]
    public async Task WorstAsync_RetiredKeysDropOut_AndADeletedKeyTakesItsFiguresWithIt()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddAsync(session, Value, "PROD — OpenRouter — main", cap: 20);
        OpenRouterAnswers(Value, 200, Usage(5m));
        await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        await _host.Vault.RetireKeyAsync(session.AccountId, key.Id, TestAccounts.Origin);
        Assert.Empty(await Spend.WorstAsync(session.AccountId));

        Assert.True(await _host.Vault.DeleteAsync(session.AccountId, key.Id, TestAccounts.Origin));
        Assert.Null(await Spend.LatestAsync(session.AccountId, key.Id));
    }

    [Fact]
    public async Task ReadAsync_ElevenLabs_KeepsCharactersAgainstThePlansLimit()
    {
        var (_, session, _) = await _host.SignUpAsync();
        const string voice = "0123456789abcdef0123456789abcdef";
        var key = await AddAsync(session, voice, "PROD — ElevenLabs — voice", cap: 22, providerId: "elevenlabs", provider: "ElevenLabs");
        _provider.Given(Request.Create().WithPath("/v1/user/subscription").UsingGet().WithHeader("xi-api-key", voice))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(SpendCase.Get("elevenlabs").WorksBody));

        await Spend.ReadAsync(session, key.Id, TestAccounts.Origin);

        var kept = await Spend.LatestAsync(session.AccountId, key.Id);
        Assert.Equal("12,400 of 100,000 characters this month (as of 14:05), against the character limit of your ElevenLabs plan.", kept!.Sentence("14:05"));
        Assert.Equal(12, kept.Percent);
    }

    [Fact]
    public async Task ReadAllAsync_ReadsOnlyKeysWhoseProviderReportsSpend_ReportingProgress()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var key = await AddAsync(session, Value, "PROD — OpenRouter — main", cap: 20);
        var openAi = await _host.AddKeyAsync(session, "sk-proj-ReadAllValue0123456789abcdefWXYZ", VaultEnvironment.Prod);
        OpenRouterAnswers(Value, 200, Usage(3m));
        var progress = new List<int>();

        var results = await Spend.ReadAllAsync(session, [key, openAi], TestAccounts.Origin, new SynchronousProgress(progress.Add));

        Assert.Equal([key.Id], results.Select(r => r.Key.Id));
        Assert.Equal([1], progress);
    }

    private sealed class SynchronousProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
