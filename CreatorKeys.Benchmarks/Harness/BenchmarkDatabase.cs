using System.Collections.Concurrent;
using CreatorKeys.Core.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// The database the harness measures (<c>--database sqlite|postgresql</c>). SQLite: each data folder's own file, as the
/// app ships. PostgreSQL: a throwaway cluster (<see cref="PostgreSqlCluster"/>) started for the run, one database per
/// data folder (made on first use, dropped by <see cref="ReleaseAsync"/>), and the cluster stopped and deleted when this is
/// disposed, on Ctrl+C, or when the process ends.
/// </summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private const string ClusterPrefix = "ck-bench-postgres-";

    private readonly PostgreSqlCluster? _cluster;
    private readonly ConcurrentDictionary<string, string> _databases = new(StringComparer.Ordinal);
    private readonly ConsoleCancelEventHandler? _onCancel;

    private BenchmarkDatabase(DatabaseProvider provider, PostgreSqlCluster? cluster, string description)
    {
        Provider = provider;
        _cluster = cluster;
        Description = description;
        if (cluster is not null)
        {
            // Ctrl+C ends the run; the cluster goes with it (ProcessExit covers a normal end and SIGTERM).
            _onCancel = (_, _) => cluster.Stop();
            Console.CancelKeyPress += _onCancel;
        }
    }

    /// <summary>The default: SQLite files in each data folder.</summary>
    public static BenchmarkDatabase Sqlite { get; } = new(DatabaseProvider.Sqlite, null, "SQLite " + SqliteVersion());

    public DatabaseProvider Provider { get; }

    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>Which engine and version, for the log and the table's header.</summary>
    public string Description { get; }

    /// <summary>Starts a throwaway PostgreSQL cluster for the run (initdb and pg_ctl, see <see cref="PostgreSqlCluster"/>).</summary>
    public static async Task<BenchmarkDatabase> StartPostgreSqlAsync(TextWriter log)
    {
        var cluster = PostgreSqlCluster.Start(ClusterPrefix);
        try
        {
            await using var connection = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
            await connection.OpenAsync();
            var description = "PostgreSQL " + connection.PostgreSqlVersion;
            log.WriteLine($"Started a throwaway {description} cluster in {cluster.Folder}");
            return new BenchmarkDatabase(DatabaseProvider.PostgreSql, cluster, description);
        }
        catch
        {
            cluster.Stop();
            throw;
        }
    }

    /// <summary>
    /// The configuration the seeder and the app get for <paramref name="dataFolder"/> (names as in appsettings, with
    /// ':'): none for SQLite (its file is in the data folder); for PostgreSQL the provider and the folder's own database,
    /// made empty on first use (the first to open it migrates it, as a new server does).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SettingsForAsync(string dataFolder)
    {
        if (_cluster is null)
        {
            return new Dictionary<string, string>();
        }

        if (!_databases.TryGetValue(dataFolder, out var name))
        {
            name = "ck_" + Guid.NewGuid().ToString("N");
            await _cluster.CreateDatabaseAsync(name);
            _databases[dataFolder] = name;
        }

        return new Dictionary<string, string>
        {
            [Database.Section + ":Provider"] = nameof(DatabaseProvider.PostgreSql),
            [Database.Section + ":ConnectionString"] = _cluster.ConnectionString(name),
        };
    }

    /// <summary>Closes pooled connections to the folder's data and, on PostgreSQL, drops its database.</summary>
    public async Task ReleaseAsync(string dataFolder)
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null && _databases.TryRemove(dataFolder, out var name))
        {
            await _cluster.DropDatabaseAsync(name);
        }
    }

    private static string SqliteVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection.ServerVersion;
    }

    public ValueTask DisposeAsync()
    {
        if (_onCancel is not null)
        {
            Console.CancelKeyPress -= _onCancel;
        }

        NpgsqlConnection.ClearAllPools();
        _cluster?.Stop();
        return ValueTask.CompletedTask;
    }
}
