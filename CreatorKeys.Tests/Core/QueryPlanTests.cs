using System.Data.Common;
using System.Diagnostics;
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
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
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
        Assert.Equal(2, dueKeyQueries.Count); // one per check: the ledger comes with the keys, not in a second query
        foreach (var due in dueKeyQueries)
        {
            Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_ApiKeys_DueOn", StringComparison.Ordinal));
            // Keys are grouped by account in memory; sorting them in SQL cost about a third of the query at a million keys.
            Assert.DoesNotContain(due.Plan, step => step.Contains("TEMP B-TREE", StringComparison.Ordinal));
            Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("INDEX IX_Rotations_OldKeyId", StringComparison.Ordinal));
            Assert.Contains(due.Plan, step => step.StartsWith("SEARCH", StringComparison.Ordinal) && step.Contains("IX_Reminders_ApiKeyId_DueOn_Stage_Step", StringComparison.Ordinal));
        }

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
            Assert.Single((await _host.Vault.ListKeysPageAsync(_accountId, new KeyListQuery(VaultEnvironment.Dev, KeyListStatus.All, "openai"))).Keys);
            Assert.Equal(3, (await _host.Vault.ListKeysByDueDateAsync(_accountId)).Total);
            Assert.Equal(1, (await _host.Vault.ListKeysByDueDateAsync(_accountId, environment: VaultEnvironment.Staging)).Total);
        });

        Assert.True(plans.Count >= 6, $"only {plans.Count} queries were recorded");
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

    /// <summary>Runs <paramref name="action"/>, recording each SELECT that Core sends to this test's database, then asks SQLite for each one's plan.</summary>
    private async Task<IReadOnlyList<QueryPlan>> PlansOfAsync(Func<Task> action)
    {
        var recorded = new List<(string Sql, List<(string Name, object? Value)> Parameters)>();
        var database = _host.DataFolder.DatabasePath;
        var subscriptions = new List<IDisposable>();
        using (DiagnosticListener.AllListeners.Subscribe(new ListenerObserver(listener =>
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                subscriptions.Add(listener.Subscribe(new EventObserver(e =>
                {
                    if (e.Key == RelationalEventId.CommandExecuting.Name && e.Value is CommandEventData { Command: SqliteCommand command }
                        && command.Connection?.DataSource == database && command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
                    {
                        lock (recorded)
                        {
                            recorded.Add((command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, p.Value))]));
                        }
                    }
                })));
            }
        })))
        {
            try
            {
                await action();
            }
            finally
            {
                subscriptions.ForEach(s => s.Dispose());
            }
        }

        await using var connection = new SqliteConnection(_host.DataFolder.ConnectionString);
        await connection.OpenAsync();
        var plans = new List<QueryPlan>();
        foreach (var (sql, parameters) in recorded)
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

    private sealed class ListenerObserver(Action<DiagnosticListener> onNext) : IObserver<DiagnosticListener>
    {
        public void OnNext(DiagnosticListener value) => onNext(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }

    private sealed class EventObserver(Action<KeyValuePair<string, object?>> onNext) : IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(KeyValuePair<string, object?> value) => onNext(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
