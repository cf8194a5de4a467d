using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>The vault page's server-side paging: counts per environment, one sorted, filtered page at a time.</summary>
public class VaultListingTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="VaultListingTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private CoreHost _host = default!;

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

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
    public async Task ListKeysByDueDate_SoonestDueFirst_OnlyKeysInUse_OnePageAtATime()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var now = _host.Time.GetUtcNow();
        async Task<KeySummary> AddAsync(string label, VaultEnvironment environment, int daysAgo)
        {
            var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", environment, label, TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(now.AddDays(-daysAgo))), TestAccounts.Origin, acceptShapeWarning: true);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
            return result.Key!;
        }

        // Due in 89, 5 and 10 days: PROD keys after 90 days, DEV keys after 180.
        await AddAsync("PROD — OpenAI — fresh", VaultEnvironment.Prod, 1);
        await AddAsync("DEV — OpenAI — soonest", VaultEnvironment.Dev, 175);
        await AddAsync("PROD — OpenAI — older", VaultEnvironment.Prod, 80);
        var retired = await AddAsync("PROD — OpenAI — retired", VaultEnvironment.Prod, 85);
        Assert.True(await _host.Vault.RetireKeyAsync(session.AccountId, retired.Id, TestAccounts.Origin));

        var first = await _host.Vault.ListKeysByDueDateAsync(session.AccountId, pageSize: 2);
        var second = await _host.Vault.ListKeysByDueDateAsync(session.AccountId, page: 1, pageSize: 2);
        var prodOnly = await _host.Vault.ListKeysByDueDateAsync(session.AccountId, pageSize: 2, environment: VaultEnvironment.Prod);

        Assert.Equal(3, first.Total);
        Assert.Equal(["DEV — OpenAI — soonest", "PROD — OpenAI — older"], first.Keys.Select(k => k.Label));
        Assert.True(first.Keys[0].DueOn <= first.Keys[1].DueOn);
        Assert.Equal(["PROD — OpenAI — fresh"], second.Keys.Select(k => k.Label));
        Assert.Equal(2, prodOnly.Total);
        Assert.Equal(["PROD — OpenAI — older", "PROD — OpenAI — fresh"], prodOnly.Keys.Select(k => k.Label));
        // The totals come from the counts the database keeps; the rotation page reads them once and hands them over.
        var inUse = await _host.Vault.CountKeysInUseAsync(session.AccountId);
        Assert.Equal((2, 0, 1), (inUse[VaultEnvironment.Prod], inUse[VaultEnvironment.Staging], inUse[VaultEnvironment.Dev]));
        Assert.Equal(3, (await _host.Vault.ListKeysByDueDateAsync(session.AccountId, knownTotal: inUse.Values.Sum())).Keys.Count);
        var (_, other, _) = await _host.SignUpAsync("other@example.com");
        Assert.All((await _host.Vault.CountKeysInUseAsync(other.AccountId)).Values, count => Assert.Equal(0, count));
    }

    [Fact]
    public async Task FindKeys_ReturnsTheAccountsKeysAmongTheIds_AndLeavesOthersOut()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var (_, other, _) = await _host.SignUpAsync("other@example.com");
        var mine = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var theirs = await _host.AddKeyAsync(other, TestAccounts.NewKeyValue());

        var found = await _host.Vault.FindKeysAsync(session.AccountId, [mine.Id, theirs.Id, Guid.NewGuid()]);

        Assert.Equal([mine.Id], found.Keys);
        Assert.Equal(mine.Label, found[mine.Id].Label);
        Assert.Empty(await _host.Vault.FindKeysAsync(session.AccountId, []));
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

        var retired = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        Assert.True(await _host.Vault.RetireKeyAsync(session.AccountId, retired.Id, TestAccounts.Origin));

        var counts = await _host.Vault.CountKeysAsync(session.AccountId);

        Assert.Equal(2, counts.Current[VaultEnvironment.Dev]);
        Assert.Equal(0, counts.Current[VaultEnvironment.Staging]);
        Assert.Equal(1, counts.Current[VaultEnvironment.Prod]);
        Assert.Equal((0, 0, 1), (counts.Retired[VaultEnvironment.Dev], counts.Retired[VaultEnvironment.Staging], counts.Retired[VaultEnvironment.Prod]));
        Assert.Equal((2, 0, 2), (counts.For(KeyListStatus.All)[VaultEnvironment.Dev], counts.For(KeyListStatus.All)[VaultEnvironment.Staging], counts.For(KeyListStatus.All)[VaultEnvironment.Prod]));
        Assert.Equal(0, (await _host.Vault.CountKeysAsync(session.AccountId, search: "no such text")).For(KeyListStatus.All).Values.Sum());
        Assert.Empty((await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(VaultEnvironment.Staging))).Keys);
    }

    [Fact]
    public async Task CountKeys_AgreesWithEachPagesOwnCount_ForEveryFolderStatusAndSearch()
    {
        // The vault page hands the folder count to the page query instead of counting twice: they must agree.
        var (_, session, _) = await _host.SignUpAsync();
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "OpenAI", "DEV — OpenAI — one");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "ElevenLabs", "DEV — ElevenLabs — two");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "OpenAI", "STAGING — OpenAI — three");
        var retired = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "OpenAI", "PROD — OpenAI — old");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "OpenAI", "PROD — OpenAI — new");
        Assert.True(await _host.Vault.RetireKeyAsync(session.AccountId, retired.Id, TestAccounts.Origin));
        // The other statuses a key can be in, set as a rotation or a leak would leave them.
        foreach (var (environment, provider, name, status) in new[]
        {
            (VaultEnvironment.Dev, "OpenAI", "DEV — OpenAI — pending", "Pending"),
            (VaultEnvironment.Staging, "Runway", "STAGING — Runway — previous", "Previous"),
            (VaultEnvironment.Prod, "Runway", "PROD — Runway — compromised", "Compromised"),
        })
        {
            var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), environment, provider, name);
            // Straight to the table, as an outside change would (no EF change tracking, no interceptors).
            await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
            var newStatus = Enum.Parse<KeyStatus>(status);
            Assert.Equal(1, await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.Status, newStatus)));
        }

        var compared = 0;
        foreach (var search in new[] { null, "openai", "OLD", "no such text" })
        {
            var counts = await _host.Vault.CountKeysAsync(session.AccountId, search);
            foreach (var status in Enum.GetValues<KeyListStatus>())
            {
                foreach (var environment in VaultEnvironments.All)
                {
                    var counted = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(environment, status, search));
                    Assert.Equal(counted.Total, counts.For(status)[environment]);
                    compared += counted.Total;

                    // Handed the count, as the vault page does (with no search, its compiled query): the same rows, in order.
                    var handed = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(environment, status, search), knownTotal: counted.Total);
                    Assert.Equal(counted.Keys, handed.Keys);
                    var secondOwn = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(environment, status, search, Page: 1, PageSize: 1));
                    var secondHanded = await _host.Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(environment, status, search, Page: 1, PageSize: 1), knownTotal: counted.Total);
                    Assert.Equal(secondOwn.Page, secondHanded.Page);
                    Assert.Equal(secondOwn.Keys, secondHanded.Keys);
                }
            }
        }

        // Per search, in use + retired + all: no search 5 + 3 + 8 (pending is in use; previous and
        // compromised are retired), "openai" 4 + 1 + 5, "OLD" 0 + 1 + 1, no match 0.
        Assert.Equal(16 + 10 + 2, compared);
    }
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class VaultListingTestsOnPostgreSql : VaultListingTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
