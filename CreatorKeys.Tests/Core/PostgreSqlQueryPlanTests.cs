using System.Data.Common;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreatorKeys.Tests.Core;

/// <summary>
/// PostgreSQL's side of <see cref="QueryPlanTests"/>: the vault listing and the daily reminder scan, as the real
/// services send them, asked for their plan with <c>EXPLAIN</c>. A few rows make the planner prefer reading the whole
/// table whatever the indexes, so the plans are asked with sequential scans priced out (<c>enable_seqscan = off</c>):
/// a <c>Seq Scan</c> left in the plan then means no index can serve the query. Also checks the hand-written parts of
/// the PostgreSQL migration set (collation, order index, counts triggers) are there.
/// </summary>
public sealed class PostgreSqlQueryPlanTests : IAsyncLifetime
{
    private readonly CommandRecorder _recorder = new();
    private CoreHost _host = default!;
    private string _accountId = "";

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(
            DatabaseProvider.PostgreSql,
            new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" },
            extraServices: services => services.AddSingleton<IInterceptor>(_recorder));
        (var account, var session, _) = await _host.SignUpAsync();
        _accountId = account.Id;
        foreach (var environment in Enum.GetValues<VaultEnvironment>())
        {
            var added = await _host.Vault.AddKeyAsync(
                session,
                new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — old", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(_host.Time.GetUtcNow().AddDays(-400))),
                TestAccounts.Origin,
                acceptShapeWarning: true);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Values));
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task VaultListing_ReadsThePageInOrderFromTheOrderIndex()
    {
        var plans = await PlansOfAsync(seqScansPricedOut: true, async () =>
        {
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Prod))).Keys);
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Staging), knownTotal: 1)).Keys);
            Assert.Equal(3, (await _host.Vault.CountKeysAsync(_accountId)).Current.Values.Sum());
        });

        var pages = plans.Where(p => p.Sql.Contains("COLLATE \"NOCASE\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pages.Count);
        Assert.All(pages, page =>
        {
            Assert.Contains("IX_ApiKeys_VaultListOrder", page.Plan, StringComparison.Ordinal);
            Assert.DoesNotContain("Sort", page.Plan, StringComparison.Ordinal);
        });
        AssertNoSeqScan(plans);
    }

    [Fact]
    public async Task RotationPage_KeysByDueDate_ReadInOrderFromTheDueOrderIndexes()
    {
        var plans = await PlansOfAsync(seqScansPricedOut: true, async () =>
        {
            Assert.Equal(3, (await _host.Vault.ListKeysByDueDateAsync(_accountId)).Keys.Count);
            Assert.Single((await _host.Vault.ListKeysByDueDateAsync(_accountId, pageSize: 3, environment: VaultEnvironment.Staging)).Keys);
        });

        var pages = plans.Where(p => p.Sql.Contains("ORDER BY", StringComparison.Ordinal) && p.Sql.Contains("\"DueOn\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains("IX_ApiKeys_DueOrder\"", pages[0].Plan, StringComparison.Ordinal);
        Assert.Contains("IX_ApiKeys_DueOrder_Environment", pages[1].Plan, StringComparison.Ordinal);
        Assert.All(pages, page => Assert.DoesNotContain("Sort", page.Plan, StringComparison.Ordinal));
        AssertNoSeqScan(plans);
    }

    [Fact]
    public async Task DailyReminderCheck_ReadsDueKeysThroughTheDueDateIndex()
    {
        // 5,000 more keys, due years from now, and fresh statistics: the planner then chooses as it would on a full
        // install (with three rows any index is as cheap as another), sequential scans allowed.
        await ExecuteAsync(
            """
            INSERT INTO "ApiKeys"
            SELECT (jsonb_populate_record(k, jsonb_build_object(
                'Id', gen_random_uuid(), 'SlotId', gen_random_uuid(), 'Fingerprint', md5(g::text),
                'Label', 'bulk ' || g, 'DueOn', date '2031-01-01' + g))).*
            FROM "ApiKeys" AS k, generate_series(1, 5000) AS g
            WHERE k."Id" = (SELECT "Id" FROM "ApiKeys" ORDER BY "Id" LIMIT 1);
            ANALYZE;
            """);
        var reminders = _host.Services.GetRequiredService<ReminderService>();
        var plans = await PlansOfAsync(seqScansPricedOut: false, async () =>
        {
            var first = await reminders.CheckAsync();
            Assert.Equal((3, 3), (first.KeysConsidered, first.RemindersCreated));
            Assert.Equal(0, (await reminders.CheckAsync()).RemindersCreated);
        });

        var dueKeyQueries = plans.Where(p => p.Sql.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal)).ToList();
        // Per check, a count of the due keys and the accounts with news (no label: no key leaves the database); the first
        // check, which has news, then reads that account's due keys whole for its digest.
        var scans = dueKeyQueries.Where(p => !p.Sql.Contains("\"Label\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, scans.Count);
        Assert.Equal(5, dueKeyQueries.Count);
        Assert.All(scans, due => Assert.Contains("Index Scan using \"IX_ApiKeys_DueOn\"", due.Plan, StringComparison.Ordinal));
        Assert.All(dueKeyQueries, due => Assert.DoesNotContain("Seq Scan on \"ApiKeys\"", due.Plan, StringComparison.Ordinal));

        // The ledger and the rotations hold a handful of rows here, so reading them whole is cheapest; priced out,
        // the plan shows their indexes can serve the lookups when they are large.
        var indexed = await ExplainAsync(_recorder.Commands.Where(c => c.Sql.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal) && c.Sql.Contains("FROM \"Reminders\"", StringComparison.Ordinal)), seqScansPricedOut: true);
        Assert.Equal(3, indexed.Count);
        Assert.All(indexed, due => Assert.Contains("IX_Reminders_ApiKeyId_DueOn_Stage_Step", due.Plan, StringComparison.Ordinal));
        AssertNoSeqScan(indexed);
    }

    [Fact]
    public async Task HandWrittenSchema_IsThere()
    {
        await using var connection = new NpgsqlConnection(_host.Services.GetRequiredService<Database>().ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM pg_collation WHERE collname = 'NOCASE'),
                   (SELECT count(*) FROM pg_indexes WHERE indexname = 'IX_ApiKeys_VaultListOrder'),
                   (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'TR_ApiKeys_Count_%')
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((1L, 1L, 3L), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
    }

    [Fact]
    public async Task PostgreSqlMigrations_CoverTheModel_AndTheCompiledModelIsUsed()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        Assert.Equal("CreatorKeys.Data.PostgreSql.CompiledModel.CreatorKeysDbContextModel", db.Model.GetType().FullName);
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration: run scripts/add-migration.sh <Name>.");
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    private static void AssertNoSeqScan(IReadOnlyList<QueryPlan> plans)
    {
        Assert.NotEmpty(plans);
        foreach (var plan in plans)
        {
            Assert.False(plan.Plan.Contains("Seq Scan", StringComparison.Ordinal), $"a Seq Scan in the plan of:\n{plan.Sql}\n\nplan:\n{plan.Plan}");
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_host.Services.GetRequiredService<Database>().ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<QueryPlan>> PlansOfAsync(bool seqScansPricedOut, Func<Task> action)
    {
        _recorder.Recording = true;
        try
        {
            await action();
        }
        finally
        {
            _recorder.Recording = false;
        }

        return await ExplainAsync(_recorder.Commands, seqScansPricedOut);
    }

    private async Task<IReadOnlyList<QueryPlan>> ExplainAsync(IEnumerable<(string Sql, List<NpgsqlParameter> Parameters)> commands, bool seqScansPricedOut)
    {
        await using var connection = new NpgsqlConnection(_host.Services.GetRequiredService<Database>().ConnectionString);
        await connection.OpenAsync();
        await using (var off = new NpgsqlCommand(seqScansPricedOut ? "SET enable_seqscan = off" : "SELECT 1", connection))
        {
            await off.ExecuteNonQueryAsync();
        }

        var plans = new List<QueryPlan>();
        foreach (var (sql, parameters) in commands)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection);
            foreach (var parameter in parameters)
            {
                explain.Parameters.Add(parameter.Clone());
            }

            var lines = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            plans.Add(new QueryPlan(sql, string.Join('\n', lines)));
        }

        return plans;
    }

    private sealed record QueryPlan(string Sql, string Plan);

    /// <summary>Every SELECT Core's contexts run while <see cref="Recording"/> is on, with copies of its parameters.</summary>
    private sealed class CommandRecorder : DbCommandInterceptor
    {
        private readonly List<(string Sql, List<NpgsqlParameter> Parameters)> _commands = [];

        public bool Recording { get; set; }

        public IReadOnlyList<(string Sql, List<NpgsqlParameter> Parameters)> Commands
        {
            get
            {
                lock (_commands)
                {
                    return [.. _commands];
                }
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (Recording && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                lock (_commands)
                {
                    _commands.Add((command.CommandText, [.. command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone())]));
                }
            }

            return ValueTask.FromResult(result);
        }
    }
}
