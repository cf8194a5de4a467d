using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>The vault page's server-side paging: counts per environment, one sorted, filtered page at a time.</summary>
public sealed class VaultListingTests : IAsyncLifetime
{
    private CoreHost _host = default!;

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ListKeysPage_MoreKeysThanAPage_ReturnsThePageSortedByServiceThenName()
    {
        var (_, session, _) = await _host.SignUpAsync();
        foreach (var (provider, label) in new[] { ("openai", "b"), ("Anthropic", "z"), ("OpenAI", "A"), ("ElevenLabs", "m"), ("Anthropic", "a") })
        {
            await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, provider, $"DEV — {provider} — {label}");
        }

        var first = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, PageSize: 2));
        var last = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, Page: 2, PageSize: 2));

        Assert.Equal(5, first.Total);
        Assert.Equal(3, first.PageCount);
        Assert.Equal(["DEV — Anthropic — a", "DEV — Anthropic — z"], first.Keys.Select(k => k.Label));
        Assert.Equal((1, 2), (first.FirstRow, first.LastRow));
        Assert.Equal(["DEV — openai — b"], last.Keys.Select(k => k.Label));
        Assert.Equal((5, 5), (last.FirstRow, last.LastRow));
    }

    [Fact]
    public async Task ListKeysPage_PagePastTheEnd_ReturnsTheLastPage()
    {
        var (_, session, _) = await _host.SignUpAsync();
        for (var i = 0; i < 3; i++)
        {
            await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        }

        var page = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Prod, Page: 7, PageSize: 2));

        Assert.Equal(1, page.Page);
        Assert.Single(page.Keys);
    }

    [Fact]
    public async Task ListKeysPage_SearchAndStatus_FilterInTheDatabaseAnyCaseAndLiterally()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "OpenAI", "DEV — OpenAI — avatar voice");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "OpenAI", "DEV — OpenAI — 100% test_run");
        var retired = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "Anthropic", "DEV — Anthropic — old");
        Assert.True(await _host.Vault.RetireKeyAsync(session.AccountId, retired.Id, TestAccounts.Origin));

        var byName = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, Search: "  AVATAR "));
        var literal = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, Search: "0% test_"));
        var wildcardNotSpecial = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, Search: "_"));
        var retiredOnly = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, KeyListStatus.Retired));
        var all = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Dev, KeyListStatus.All));

        Assert.Equal("DEV — OpenAI — avatar voice", Assert.Single(byName.Keys).Label);
        Assert.Equal("DEV — OpenAI — 100% test_run", Assert.Single(literal.Keys).Label);
        Assert.Equal("DEV — OpenAI — 100% test_run", Assert.Single(wildcardNotSpecial.Keys).Label);
        Assert.Equal(retired.Id, Assert.Single(retiredOnly.Keys).Id);
        Assert.Equal(3, all.Total);
    }

    [Fact]
    public async Task CountKeys_CountsEachEnvironmentOfThisAccountOnly()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var (_, other, _) = await _host.SignUpAsync("someone.else@example.com");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        await _host.AddKeyAsync(other, TestAccounts.NewKeyValue(), VaultEnvironment.Staging);

        var counts = await _host.Vault.CountKeysAsync(session.AccountId);

        Assert.Equal(2, counts[VaultEnvironment.Dev]);
        Assert.Equal(0, counts[VaultEnvironment.Staging]);
        Assert.Equal(1, counts[VaultEnvironment.Prod]);
        Assert.Empty((await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Staging))).Keys);
    }
}
