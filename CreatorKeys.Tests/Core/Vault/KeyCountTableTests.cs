using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>
/// The folder counts the vault page shows come from ApiKeyCounts, a table kept by triggers on
/// ApiKeys (migration ApiKeyCountsTable). Whatever changes a key (the services, a plain SQL
/// update, a cascade when an account goes), the table must say what counting the keys says.
/// </summary>
public class KeyCountTableTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="KeyCountTableTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private CoreHost _host = default!;

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task StoredCounts_FollowEveryChange_ToTheKeys()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var (other, otherSession, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        var keys = new List<KeySummary>();
        foreach (var (environment, provider) in new[] { (VaultEnvironment.Prod, "OpenAI"), (VaultEnvironment.Prod, "Anthropic"), (VaultEnvironment.Dev, "OpenAI"), (VaultEnvironment.Staging, "Runway") })
        {
            keys.Add(await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), environment, provider));
        }

        await _host.AddKeyAsync(otherSession, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        await AssertStoredCountsMatchAsync(expectedRows: 4);
        var counts = await _host.Vault.CountKeysAsync(session.AccountId);
        Assert.Equal((2, 1, 1), (counts.Current[VaultEnvironment.Prod], counts.Current[VaultEnvironment.Dev], counts.Current[VaultEnvironment.Staging]));

        Assert.True(await _host.Vault.RetireKeyAsync(session.AccountId, keys[0].Id, TestAccounts.Origin));
        await AssertStoredCountsMatchAsync(expectedRows: 5);
        counts = await _host.Vault.CountKeysAsync(session.AccountId);
        Assert.Equal((1, 1), (counts.Current[VaultEnvironment.Prod], counts.Retired[VaultEnvironment.Prod]));

        Assert.True(await _host.Vault.DeleteAsync(session.AccountId, keys[1].Id, TestAccounts.Origin));
        await AssertStoredCountsMatchAsync(expectedRows: 4); // the emptied (account, Prod, Current) row goes
        Assert.Equal(0, (await _host.Vault.CountKeysAsync(session.AccountId)).Current[VaultEnvironment.Prod]);

        // Changes that bypass EF Core: plain UPDATEs of the environment, of the status, then of nothing that counts.
        var id = keys[2].Id.ToString().ToUpperInvariant();
        await ExecuteAsync($"UPDATE \"ApiKeys\" SET \"Environment\" = 'Staging' WHERE \"Id\" = '{id}'");
        await AssertStoredCountsMatchAsync(expectedRows: 3);
        await ExecuteAsync($"UPDATE \"ApiKeys\" SET \"Status\" = 'Pending' WHERE \"Id\" = '{id}'");
        await ExecuteAsync($"UPDATE \"ApiKeys\" SET \"Label\" = 'renamed' WHERE \"AccountId\" = '{session.AccountId}'");
        await AssertStoredCountsMatchAsync(expectedRows: 4);
        counts = await _host.Vault.CountKeysAsync(session.AccountId);
        Assert.Equal((0, 2), (counts.Current[VaultEnvironment.Dev], counts.Current[VaultEnvironment.Staging]));

        // An account deleted: its keys go by cascade, and so do its counts.
        await ExecuteAsync($"DELETE FROM \"AspNetUsers\" WHERE \"Id\" = '{session.AccountId}'");
        await AssertStoredCountsMatchAsync(expectedRows: 1);
        Assert.Equal(1, (await _host.Vault.CountKeysAsync(other.Id)).Current[VaultEnvironment.Prod]);
    }

    /// <summary>The stored table, row for row, against a GROUP BY over the keys themselves.</summary>
    private async Task AssertStoredCountsMatchAsync(int expectedRows)
    {
        var stored = await RowsAsync("""SELECT "AccountId", "Environment", "Status", "Count" FROM "ApiKeyCounts" ORDER BY 1, 2, 3""");
        var counted = await RowsAsync("""SELECT "AccountId", "Environment", "Status", COUNT(*) FROM "ApiKeys" GROUP BY 1, 2, 3 ORDER BY 1, 2, 3""");
        Assert.Equal(counted, stored);
        Assert.Equal(expectedRows, stored.Count);
    }

    private async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetInt64(3)}");
        }

        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.True(await command.ExecuteNonQueryAsync() > 0, sql);
    }

    private async Task<System.Data.Common.DbConnection> OpenAsync()
    {
        // SQLite's connection string turns foreign keys on (the cascade); PostgreSQL always has them.
        var connection = _host.Services.GetRequiredService<Database>().NewConnection();
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class KeyCountTableTestsOnPostgreSql : KeyCountTableTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
