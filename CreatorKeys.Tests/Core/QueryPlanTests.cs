using System.Data.Common;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core;

/// <summary>
/// The queries that must stay fast at 10,000 keys per account and a million in all ask SQLite
/// for the rows they need through an index, never by reading a whole table. Each test records
/// the SQL the real service sends and asks SQLite for its plan (<c>EXPLAIN QUERY PLAN</c>):
/// a dropped index or a query rewritten so SQLite cannot use one shows up as a <c>SCAN</c>.
/// SQLite plans without statistics here (no ANALYZE), so the plan is the same at 3 keys as at 3 million.
/// </summary>
public sealed class QueryPlanTests : IAsyncLifetime
{
    private readonly CommandRecorder _recorder = new();
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(
            new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" },
            extraServices: services => services.AddSingleton<IInterceptor>(_recorder));
        (var account, _session, _) = await _host.SignUpAsync();
        _accountId = account.Id;
        foreach (var environment in Enum.GetValues<VaultEnvironment>())
        {
            // Issued long ago, so the reminder check has due keys to look up in the ledger and the rotations.
            var added = await _host.Vault.AddKeyAsync(
                _session,
                new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — old", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(_host.Time.GetUtcNow().AddDays(-400))),
                TestAccounts.Origin,
                acceptShapeWarning: true);
            Assert.True(added.Succeeded, string.Join(" ", added.Errors.Values));
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task DailyReminderCheck_ReadsOnlyThroughIndexes_FirstRunAndRepeat()
    {
        var reminders = _host.Services.GetRequiredService<ReminderService>();

        var plans = await PlansOfAsync(async () =>
        {
            var first = await reminders.CheckAsync();
            Assert.Equal((3, 3), (first.KeysConsidered, first.RemindersCreated));
            Assert.Equal(0, (await reminders.CheckAsync()).RemindersCreated);
        });

        var dueKeyQueries = plans.Where(p => p.Sql.Contains("FROM \"ApiKeys\"", StringComparison.Ordinal)).ToList();
        // Each check counts the due keys and lists the accounts with news (no label: no key leaves the database), the ledger
        // inside that query; only the first check, which has news, then reads those accounts' due keys whole for their digests.
        var scans = dueKeyQueries.Where(p => !p.Sql.Contains("\"Label\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, scans.Count);
        var details = Assert.Single(dueKeyQueries.Except(scans));
        Assert.Contains(details.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_Reminders_ApiKeyId_DueOn_Stage_Step", StringComparison.Ordinal));
        foreach (var due in scans)
        {
            Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_ApiKeys_DueOn", StringComparison.Ordinal));
            // Nothing is sorted; sorting every due key was about a quarter of the query at a million keys.
            Assert.DoesNotContain(due.Plan, step => step.Contains("TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal));
            Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("INDEX IX_Rotations_OldKeyId", StringComparison.Ordinal));
        }

        var news = scans.Where(p => p.Sql.Contains("FROM \"Reminders\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, news.Count);
        Assert.All(news, due => Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_Reminders_ApiKeyId_DueOn_Stage_Step", StringComparison.Ordinal)));

        AssertNoScan(plans);
    }

    [Fact]
    public async Task VaultAndRotationPages_ReadOnlyThroughIndexes()
    {
        var plans = await PlansOfAsync(async () =>
        {
            Assert.Equal(3, (await _host.Vault.CountKeysAsync(_accountId)).Current.Values.Sum());
            Assert.Equal(1, (await _host.Vault.CountKeysAsync(_accountId, "openai")).Current[VaultEnvironment.Prod]);
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Prod))).Keys);
            // The vault page's own call: the count handed over, so the compiled query.
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Staging), knownTotal: 1)).Keys);
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Dev, KeyListStatus.All, "openai"))).Keys);
            Assert.Equal(3, (await _host.Vault.ListKeysByDueDateAsync(_accountId)).Total);
            Assert.Equal(1, (await _host.Vault.ListKeysByDueDateAsync(_accountId, environment: VaultEnvironment.Staging)).Total);
            // The key page's versions: one query, the slot found by the key's id in a subquery.
            var key = (await _host.Vault.ListKeysByDueDateAsync(_accountId)).Keys[0];
            Assert.Equal(key.Id, Assert.Single((await _host.Vault.ReadKeyAsync(_accountId, key.Id)).Versions).Id);
        });

        Assert.True(plans.Count >= 7, $"only {plans.Count} queries were recorded");
        AssertNoScan(plans);

        // A vault page reads its 25 rows in order from IX_ApiKeys_VaultListOrder (made by hand in migration
        // VaultListOrderIndex) instead of sorting the whole folder; a table rebuild that drops it shows here.
        var vaultPages = plans.Where(p => p.Sql.Contains("\"ProviderName\" COLLATE NOCASE", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, vaultPages.Count);
        Assert.All(vaultPages, page =>
        {
            Assert.Contains(page.Plan, step => step.Contains("IX_ApiKeys_VaultListOrder", StringComparison.Ordinal));
            Assert.DoesNotContain(page.Plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task RotationPage_KeysByDueDate_ReadInOrderFromTheDueOrderIndexes()
    {
        var plans = await PlansOfAsync(async () =>
        {
            Assert.Equal(3, (await _host.Vault.ListKeysByDueDateAsync(_accountId)).Keys.Count);
            Assert.Single((await _host.Vault.ListKeysByDueDateAsync(_accountId, pageSize: 3, environment: VaultEnvironment.Staging)).Keys);
        });

        // The page of 25 (or 3 per environment) is read in order from an index made for it (migration RotationDueIndex),
        // not by sorting every key in use of the account: a TEMP B-TREE here is that sort.
        var pages = plans.Where(p => p.Sql.Contains("ORDER BY", StringComparison.Ordinal) && p.Sql.Contains("\"DueOn\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, pages.Count);
        Assert.Contains(pages[0].Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("INDEX IX_ApiKeys_DueOrder ", StringComparison.Ordinal));
        Assert.Contains(pages[1].Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("INDEX IX_ApiKeys_DueOrder_Environment ", StringComparison.Ordinal));
        Assert.All(pages, page => Assert.DoesNotContain(page.Plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal)));
        AssertNoScan(plans);
    }

    [Fact]
    public async Task DashboardSpendCard_StartsFromTheAccountsReadings_NotFromEveryKey()
    {
        var spend = _host.Services.GetRequiredService<CreatorKeys.Core.Providers.Connections.StoredSpend>();
        var plans = await PlansOfAsync(async () => Assert.Empty(await spend.WorstAsync(_accountId)));

        // The readings first (few), each one's key by its id: starting from the keys read all 10,000 of a big account's
        // keys in use on every dashboard visit, to find none had a reading.
        var worst = Assert.Single(plans, p => p.Sql.Contains("\"KeySpends\"", StringComparison.Ordinal));
        Assert.StartsWith("SEARCH", worst.Plan[0], StringComparison.Ordinal);
        Assert.Contains("IX_KeySpends_AccountId", worst.Plan[0], StringComparison.Ordinal);
        Assert.Contains(worst.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("sqlite_autoindex_ApiKeys_1 (Id=?)", StringComparison.Ordinal));
        AssertNoScan(plans);
    }

    /// <summary>A SCAN step reads a whole table or a whole index; a SEARCH step reads a range of one.</summary>
    private static void AssertNoScan(IReadOnlyList<QueryPlan> plans)
    {
        foreach (var plan in plans)
        {
            var scans = plan.Plan.Where(step => step.StartsWith("SCAN", StringComparison.Ordinal)).ToList();
            Assert.True(scans.Count == 0, $"{string.Join(", ", scans)} in the plan of:\n{plan.Sql}\n\nplan:\n{string.Join("\n", plan.Plan)}");
        }
    }

    /// <summary>Runs <paramref name="action"/>, recording each SELECT that Core sends, then asks SQLite for each one's plan.</summary>
    private async Task<IReadOnlyList<QueryPlan>> PlansOfAsync(Func<Task> action)
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

        await using var connection = new SqliteConnection(_host.DataFolder.ConnectionString);
        await connection.OpenAsync();
        var plans = new List<QueryPlan>();
        foreach (var (sql, parameters) in _recorder.Commands)
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var (name, value) in parameters)
            {
                explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            var steps = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                steps.Add(reader.GetString(3));
            }

            plans.Add(new QueryPlan(sql, steps));
        }

        return plans;
    }

    private sealed record QueryPlan(string Sql, IReadOnlyList<string> Plan);

    /// <summary>Every SELECT Core's contexts run while <see cref="Recording"/> is on, with its parameters.</summary>
    private sealed class CommandRecorder : DbCommandInterceptor
    {
        private readonly List<(string Sql, List<(string Name, object? Value)> Parameters)> _commands = [];

        public bool Recording { get; set; }

        public IReadOnlyList<(string Sql, List<(string Name, object? Value)> Parameters)> Commands
        {
            get
            {
                lock (_commands)
                {
                    return [.. _commands];
                }
            }
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Record(command);
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return ValueTask.FromResult(result);
        }

        private void Record(DbCommand command)
        {
            if (Recording && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            {
                lock (_commands)
                {
                    _commands.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
                }
            }
        }
    }
}
