using System.Security.Cryptography;
using CreatorKeys.Core;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CreatorKeys.Benchmarks.Seeding;

/// <summary>
/// Builds a realistic large vault through the app's real services: sign-up through
/// <see cref="AccountService"/> (600,000 PBKDF2 iterations, as configured), every key through
/// <see cref="VaultService.AddKeyAsync"/> (encryption, fingerprint, duplicate check, activity log,
/// due date), so figures include encryption and every index. For the reminder sizes the keys of
/// one seeded account are then copied to more accounts with set-based SQL
/// (<see cref="CopyAccountAsync"/>): those copies carry valid metadata but their ciphertexts are
/// bound to the template's rows, so they are for metadata-only work (the reminder check) only.
/// </summary>
public sealed class VaultSeeder : IAsyncDisposable
{
    public const string Password = "correct horse battery staple benchmark";

    /// <summary>Ten services, so a 10,000-key vault holds exactly 1,000 keys of each.</summary>
    public static readonly IReadOnlyList<string> Services =
        ["OpenAI", "Anthropic", "ElevenLabs", "Runway", "HeyGen", "Replicate", "Stability AI", "Midjourney", "Make", "n8n"];

    private static readonly VaultEnvironment[] Environments = [VaultEnvironment.Dev, VaultEnvironment.Staging, VaultEnvironment.Prod];

    private readonly ServiceProvider _services;

    private VaultSeeder(string dataFolder, ServiceProvider services)
    {
        DataFolder = dataFolder;
        _services = services;
    }

    public string DataFolder { get; }

    public IServiceProvider Provider => _services;

    /// <summary>The database the seeder writes (SQLite in the data folder, or PostgreSQL), as the app's own seam has it.</summary>
    public Database Database => _services.GetRequiredService<Database>();

    public string ConnectionString => Database.ConnectionString;

    /// <summary>
    /// Core's real services on <paramref name="dataFolder"/>, with the migrations applied; on <paramref name="database"/>'s
    /// engine (SQLite in the folder when null, or the folder's PostgreSQL database).
    /// </summary>
    public static async Task<VaultSeeder> OpenAsync(string dataFolder, Harness.BenchmarkDatabase? database = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [Core.Data.DataFolder.SettingName] = dataFolder,
            // The many-accounts line signs up several creators on one install.
            [Core.Accounts.AccountOptions.Section + ":" + nameof(Core.Accounts.AccountOptions.Registration)] = nameof(Core.Accounts.RegistrationPolicy.Open),
        };
        foreach (var (name, value) in await (database ?? Harness.BenchmarkDatabase.Sqlite).SettingsForAsync(dataFolder))
        {
            settings[name] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddCoreServices(configuration);
        var provider = services.BuildServiceProvider();
        await provider.InitializeDatabaseAsync();
        return new VaultSeeder(dataFolder, provider);
    }

    /// <summary>Signs up an account through the real sign-up (full key derivation) and returns its open vault.</summary>
    public async Task<(string AccountId, UnlockedVault Vault)> SignUpAsync(string email)
    {
        await using var scope = _services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var outcome = await accounts.SignUpAsync(email, Password, RequestOrigin.System);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException("Sign-up failed: " + string.Join(" ", outcome.Errors.Values));
        }

        // The kit saved, as the creator does next, so signing in leads to the vault.
        var session = _services.GetRequiredService<VaultSessionStore>().Open(outcome.Vault!, emergencyKitPending: true, outcome.NewRecoveryCode);
        if (!await accounts.ConfirmEmergencyKitSavedAsync(session, outcome.NewRecoveryCode!, RequestOrigin.System))
        {
            throw new InvalidOperationException("The emergency kit could not be confirmed.");
        }

        return (outcome.Account!.Id, outcome.Vault!);
    }

    /// <summary>
    /// Stores <paramref name="count"/> keys through <see cref="VaultService.AddKeyAsync"/>: round-robin
    /// over <see cref="Services"/> and the three environments, issue dates spread over the last 200 days
    /// (so some are due, some overdue, most not), caps on most.
    /// </summary>
    public async Task AddKeysAsync(string accountId, UnlockedVault vault, int count, int seed = 42)
    {
        var vaultService = _services.GetRequiredService<VaultService>();
        var sessions = _services.GetRequiredService<VaultSessionStore>();
        var session = sessions.Open(vault, emergencyKitPending: false);
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var service = Services[i % Services.Count];
            var environment = Environments[(i / Services.Count) % Environments.Length];
            var issued = now.AddDays(-random.Next(0, 200)).AddMinutes(-random.Next(0, 1440));
            decimal? cap = i % 7 == 0 ? null : environment switch
            {
                VaultEnvironment.Dev => 5,
                VaultEnvironment.Staging => 20,
                _ => 50 + (i % 20) * 10,
            };
            var input = new NewKeyInput(
                service,
                environment,
                $"{environment.Code()} — {service} — Created {issued:yyyy-MM-dd} #{i + 1}",
                KeyValue(random),
                MonthlyCapUsd: cap,
                CapSetAtProvider: cap is not null && i % 3 != 0,
                IssueDate: KeyIssueDate.Of(issued));
            var result = await vaultService.AddKeyAsync(session, input, RequestOrigin.System, acceptShapeWarning: true);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"Key {i + 1} was refused: " + string.Join(" ", result.Errors.Values));
            }
        }
    }

    /// <summary>
    /// Copies an account and its keys <paramref name="copies"/> times with set-based SQL: each copy
    /// gets its own account row (own email) and key rows with their own ids. Metadata only: the
    /// copies' ciphertexts are bound to the template's rows and do not decrypt.
    /// </summary>
    public async Task CopyAccountAsync(string templateAccountId, int copies)
    {
        if (copies <= 0)
        {
            return;
        }

        if (Database.IsPostgreSql)
        {
            await CopyAccountOnPostgreSqlAsync(templateAccountId, copies);
            return;
        }

        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var userColumns = await ColumnsAsync(connection, transaction, "AspNetUsers");
        var keyColumns = await ColumnsAsync(connection, transaction, "ApiKeys");

        string UserValue(string column) => column switch
        {
            "Id" => "u.Id || '-' || printf('%06d', n.i)",
            "UserName" or "Email" => "'bench' || printf('%06d', n.i) || '@creatorkeys.test'",
            "NormalizedUserName" or "NormalizedEmail" => "'BENCH' || printf('%06d', n.i) || '@CREATORKEYS.TEST'",
            _ => "u.\"" + column + "\"",
        };

        // A copy's key ids keep the template's first 24 characters and number the last 12 with the copy.
        string KeyValue(string column) => column switch
        {
            "Id" => "substr(k.Id, 1, 24) || printf('%012X', n.i)",
            "SlotId" => "substr(k.SlotId, 1, 24) || printf('%012X', n.i)",
            "AccountId" => "k.AccountId || '-' || printf('%06d', n.i)",
            _ => "k.\"" + column + "\"",
        };

        var numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $copies) ";
        await ExecuteAsync(connection, transaction,
            numbers + $"INSERT INTO AspNetUsers ({Quote(userColumns)}) SELECT {string.Join(", ", userColumns.Select(UserValue))} FROM AspNetUsers u CROSS JOIN n WHERE u.Id = $template",
            templateAccountId, copies);
        await ExecuteAsync(connection, transaction,
            numbers + $"INSERT INTO ApiKeys ({Quote(keyColumns)}) SELECT {string.Join(", ", keyColumns.Select(KeyValue))} FROM ApiKeys k CROSS JOIN n WHERE k.AccountId = $template",
            templateAccountId, copies);
        await transaction.CommitAsync();
    }

    /// <summary><see cref="CopyAccountAsync"/> in PostgreSQL's words: the same rows, numbered by <c>generate_series</c>.</summary>
    private async Task CopyAccountOnPostgreSqlAsync(string templateAccountId, int copies)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        async Task<List<string>> PgColumnsAsync(string table)
        {
            await using var command = new NpgsqlCommand(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position",
                connection, transaction);
            command.Parameters.AddWithValue("table", table);
            var columns = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }

            return columns;
        }

        var userColumns = await PgColumnsAsync("AspNetUsers");
        var keyColumns = await PgColumnsAsync("ApiKeys");

        string UserValue(string column) => column switch
        {
            "Id" => "u.\"Id\" || '-' || lpad(n::text, 6, '0')",
            "UserName" or "Email" => "'bench' || lpad(n::text, 6, '0') || '@creatorkeys.test'",
            "NormalizedUserName" or "NormalizedEmail" => "'BENCH' || lpad(n::text, 6, '0') || '@CREATORKEYS.TEST'",
            _ => "u.\"" + column + "\"",
        };

        // As on SQLite: a copy's key ids keep the template's first 24 hex digits and number the last 12 with the copy.
        string KeyValue(string column) => column switch
        {
            "Id" or "SlotId" => "(substr(replace(k.\"" + column + "\"::text, '-', ''), 1, 20) || lpad(to_hex(n), 12, '0'))::uuid",
            "AccountId" => "k.\"AccountId\" || '-' || lpad(n::text, 6, '0')",
            _ => "k.\"" + column + "\"",
        };

        async Task ExecutePgAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("template", templateAccountId);
            command.Parameters.AddWithValue("copies", copies);
            await command.ExecuteNonQueryAsync();
        }

        await ExecutePgAsync(
            $"INSERT INTO \"AspNetUsers\" ({Quote(userColumns)}) SELECT {string.Join(", ", userColumns.Select(UserValue))} FROM \"AspNetUsers\" u CROSS JOIN generate_series(1, @copies) AS n WHERE u.\"Id\" = @template");
        await ExecutePgAsync(
            $"INSERT INTO \"ApiKeys\" ({Quote(keyColumns)}) SELECT {string.Join(", ", keyColumns.Select(KeyValue))} FROM \"ApiKeys\" k CROSS JOIN generate_series(1, @copies) AS n WHERE k.\"AccountId\" = @template");
        await transaction.CommitAsync();
        // Fresh statistics, as autovacuum would give a server that has been up a while: the planner then sees the copies.
        await using var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync();
    }

    private static string Quote(IEnumerable<string> columns) => string.Join(", ", columns.Select(c => "\"" + c + "\""));

    private static async Task<List<string>> ColumnsAsync(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT name FROM pragma_table_info($table)";
        command.Parameters.AddWithValue("$table", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string template, int copies)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.Parameters.AddWithValue("$template", template);
        command.Parameters.AddWithValue("$copies", copies);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A key-shaped random value, like <c>sk-proj-…</c>, unique per call.</summary>
    private static string KeyValue(Random random)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> chars = stackalloc char[48];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        // The random generator is seeded for repeatable shapes; a few random bytes keep values unique across runs.
        return "sk-proj-" + new string(chars) + Convert.ToHexString(RandomNumberGenerator.GetBytes(4));
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }
}
