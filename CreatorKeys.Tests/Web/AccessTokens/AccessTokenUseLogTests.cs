using System.Net;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.AccessTokens;

/// <summary>
/// The token API's activity record under load (issue 23 §5): every request keeps its own entry, committed before its
/// answer, but requests that arrive while a save runs share the next save instead of queueing on one save each.
/// </summary>
public sealed class AccessTokenUseLogTests
{
    [Fact]
    public async Task RecordAsync_UsesQueuedWhileASaveRuns_ShareOneSave_EachKeepsItsOwnEntry()
    {
        using var app = AppHost.Start();
        var session = await AccessTokenApiTests.SignUpAsync(app);
        var token = await AccessTokenApiTests.CreateTokenAsync(app, session, VaultEnvironment.Dev);
        using var grant = await app.Services.GetRequiredService<AccessTokenService>().AuthenticateAsync(token);
        Assert.NotNull(grant);
        var log = app.Services.GetRequiredService<AccessTokenUseLog>();
        var before = log.BatchesWritten;

        // A save is running (the gate is held): ten requests' uses queue behind it.
        await log.WriterGate.WaitAsync();
        var recording = Enumerable.Range(1, 10).Select(i => log.RecordAsync(grant, new RequestOrigin($"10.0.0.{i}", "test"), $"read {i}")).ToList();
        Assert.Equal(10, log.Queued);
        Assert.All(recording, r => Assert.False(r.IsCompleted));
        log.WriterGate.Release();
        await Task.WhenAll(recording);

        Assert.Equal(1, log.BatchesWritten - before);
        var uses = await app.Services.GetRequiredService<ActivityService>().ListAsync(session.AccountId, new ActivityFilter(ActivityAction.AccessTokenUsed), 100);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"test token: read {i}").Order(StringComparer.Ordinal), uses.Select(u => u.TargetName!).Order(StringComparer.Ordinal));
        Assert.Equal(10, uses.Select(u => u.IpAddress).Distinct().Count());
        Assert.Equal(10, uses.Select(u => u.Sequence).Distinct().Count());
        var chain = await app.Services.GetRequiredService<ActivityChain>().VerifyAsync(session.AccountId);
        Assert.True(chain.Intact, chain.Message);
    }

    [Fact]
    public async Task Secrets_ManyRequestsAtOnce_EachIsOneEntry_TheChainHolds_AndLastUseIsKept()
    {
        using var app = AppHost.Start();
        var session = await AccessTokenApiTests.SignUpAsync(app);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        using var client = AccessTokenApiTests.ApiClient(app, await AccessTokenApiTests.CreateTokenAsync(app, session, VaultEnvironment.Dev));

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => client.GetAsync("api/v1/secrets")));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }

        var uses = await app.Services.GetRequiredService<ActivityService>().ListAsync(session.AccountId, new ActivityFilter(ActivityAction.AccessTokenUsed), 100);
        Assert.Equal(24, uses.Count);
        Assert.All(uses, u => Assert.Equal("test token: OPENAI_API_KEY", u.TargetName));
        var chain = await app.Services.GetRequiredService<ActivityChain>().VerifyAsync(session.AccountId);
        Assert.True(chain.Intact, chain.Message);
        var listed = Assert.Single(await app.Services.GetRequiredService<AccessTokenService>().ListAsync(session.AccountId));
        Assert.Equal("127.0.0.1", listed.LastUsedFrom);
        Assert.NotNull(listed.LastUsedAt);
    }
}
