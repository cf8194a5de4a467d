using CreatorKeys.Benchmarks.Seeding;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reminders;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// The daily reminder check (<see cref="ReminderService.CheckAsync"/>) over many accounts, against
/// one hand-written SQL query that selects the same due keys, at several sizes to show growth.
/// </summary>
public static class ReminderMeasure
{
    public static async Task<IReadOnlyList<BenchmarkResult>> RunAsync(IReadOnlyList<int> accountCounts, int keysPerAccount, int runs, TextWriter log, BenchmarkDatabase? database = null)
    {
        var results = new List<BenchmarkResult>();
        foreach (var accounts in accountCounts)
        {
            var folder = Directory.CreateTempSubdirectory("ck-bench-reminders-").FullName;
            try
            {
                results.AddRange(await RunOneAsync(folder, accounts, keysPerAccount, runs, log, database));
            }
            finally
            {
                await (database ?? BenchmarkDatabase.Sqlite).ReleaseAsync(folder);
                Directory.Delete(folder, recursive: true);
            }
        }

        return results;
    }

    private static async Task<IReadOnlyList<BenchmarkResult>> RunOneAsync(string folder, int accounts, int keysPerAccount, int runs, TextWriter log, BenchmarkDatabase? database)
    {
        var keys = accounts * keysPerAccount;
        await using var seeder = await VaultSeeder.OpenAsync(folder, database);
        var seeding = await Measure.TimeAsync(async () =>
        {
            var (accountId, vault) = await seeder.SignUpAsync("template@creatorkeys.test");
            await seeder.AddKeysAsync(accountId, vault, keysPerAccount);
            await seeder.CopyAccountAsync(accountId, accounts - 1);
        });
        log.WriteLine($"  reminders: seeded {accounts:N0} accounts × {keysPerAccount} keys in {Measure.Ms(seeding)}");

        var reminders = seeder.Provider.GetRequiredService<ReminderService>();
        var horizon = reminders.Today.AddDays(RotationSchedule.FirstReminderDays);
        var rawRows = 0;
        async Task RawAsync() => rawRows = await RawDueKeysAsync(seeder.Database, horizon);

        // The first check of the day writes every new reminder and one digest per account: it runs once.
        await RawAsync();
        var rawFirst = await Measure.TimeAsync(RawAsync);
        CheckReport? first = null;
        var firstRun = await Measure.TimeAsync(async () => first = await reminders.CheckAsync());
        if (seeder.Database.IsPostgreSql)
        {
            // A server that has been up a while has had autovacuum pass over the ledger the first check just filled (it
            // runs within a minute or so of that many inserts): its visibility map lets the check's ledger lookups read
            // the index alone. Done here rather than waited for; it serves the raw query's tables alike.
            await using var connection = new NpgsqlConnection(seeder.ConnectionString);
            await connection.OpenAsync();
            await using var vacuum = new NpgsqlCommand("""VACUUM (ANALYZE) "Reminders", "ApiKeys", "Rotations" """, connection) { CommandTimeout = 0 };
            await vacuum.ExecuteNonQueryAsync();
        }

        // Later checks of the same day find the same keys and nothing new: the daily steady state.
        CheckReport? last = null;
        var (raw, repeat) = await Measure.PairAsync(runs, RawAsync, async () => last = await reminders.CheckAsync());
        // The baseline is only a baseline if it selects the same due keys the check considers.
        if (last!.KeysConsidered != rawRows || first!.KeysConsidered != rawRows)
        {
            throw new InvalidOperationException($"The raw query selected {rawRows:N0} due keys, the check considered {first!.KeysConsidered:N0} and {last.KeysConsidered:N0}.");
        }

        log.WriteLine($"  reminders: {keys:N0} keys, {rawRows:N0} due; raw {Measure.Ms(raw)}, first check {Measure.Ms(firstRun)} ({first!.RemindersCreated:N0} reminders), repeat {Measure.Ms(repeat)}");

        var size = $"{keys:N0} keys, {accounts:N0} accounts";
        return
        [
            new("daily reminder check, repeat run (nothing new)", size, Measure.Ms(repeat), $"raw SQL {Measure.Ms(raw)}", BenchmarkResult.RatioOf(repeat, raw), "≤ 1.5×", repeat <= raw * 1.5, $"{rawRows:N0} due"),
            new("daily reminder check, first run (writes reminders + digests)", size, Measure.Ms(firstRun), $"raw SQL {Measure.Ms(rawFirst)}", BenchmarkResult.RatioOf(firstRun, rawFirst), "linear growth", null, $"{first.RemindersCreated:N0} reminders, {first.MessagesQueued:N0} digests"),
        ];
    }

    /// <summary>
    /// The hand-written query: every key in use due within the first-reminder horizon and not being replaced, with what a
    /// reminder shows of it, in each engine's own words and read with its own typed getters.
    /// </summary>
    private static Task<int> RawDueKeysAsync(Database database, DateOnly horizon) =>
        database.IsSqlite ? RawDueKeysOnSqliteAsync(database.ConnectionString, horizon) : RawDueKeysOnPostgreSqlAsync(database.ConnectionString, horizon);

    private static async Task<int> RawDueKeysOnSqliteAsync(string connectionString, DateOnly horizon)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT k.Id, k.AccountId, k.ProviderName, k.Environment, k.Label, k.Hint, k.DueOn
            FROM ApiKeys AS k
            WHERE k.Status = 'Current' AND k.DueOn IS NOT NULL AND k.DueOn <= $horizon
              AND NOT EXISTS (SELECT 1 FROM Rotations AS r WHERE r.IsActive AND r.OldKeyId = k.Id)
            """;
        command.Parameters.AddWithValue("$horizon", horizon.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var rows = new List<(string, string, string, string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
        }

        return rows.Count;
    }

    private static async Task<int> RawDueKeysOnPostgreSqlAsync(string connectionString, DateOnly horizon)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT k."Id", k."AccountId", k."ProviderName", k."Environment", k."Label", k."Hint", k."DueOn"
            FROM "ApiKeys" AS k
            WHERE k."Status" = 'Current' AND k."DueOn" IS NOT NULL AND k."DueOn" <= @horizon
              AND NOT EXISTS (SELECT 1 FROM "Rotations" AS r WHERE r."IsActive" AND r."OldKeyId" = k."Id")
            """,
            connection);
        command.Parameters.AddWithValue("horizon", horizon);
        var rows = new List<(Guid, string, string, string, string, string, DateOnly)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateOnly>(6)));
        }

        return rows.Count;
    }
}
