using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace CreatorKeys.Core.Data;

/// <summary>Which database engine holds the app's data.</summary>
public enum DatabaseProvider
{
    /// <summary>The default: one file in the data folder, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server, for a team or several app instances (docs/decisions/017-postgresql.md).</summary>
    PostgreSql,
}

/// <summary>
/// The one seam for everything that differs between SQLite and PostgreSQL: how the context is configured, which
/// migration set and compiled model it uses, how a refused duplicate shows itself, and the few statements only one
/// engine knows. Settings <c>CreatorKeys:Database:Provider</c> (<c>Sqlite</c> | <c>PostgreSql</c>) and
/// <c>CreatorKeys:Database:ConnectionString</c> (PostgreSQL only; SQLite's file is always in the data folder).
/// </summary>
public sealed class Database
{
    public const string Section = "CreatorKeys:Database";

    /// <summary>The assembly holding the PostgreSQL migrations and compiled model (referenced by the web app).</summary>
    public const string PostgreSqlAssembly = "CreatorKeys.Data.PostgreSql";

    private const string PostgreSqlModelType = "CreatorKeys.Data.PostgreSql.CompiledModel.CreatorKeysDbContextModel, " + PostgreSqlAssembly;

    private static readonly Lazy<IModel?> PostgreSqlModel = new(() =>
        Type.GetType(PostgreSqlModelType)?.GetProperty("Instance")?.GetValue(null) as IModel);

    public Database(DatabaseProvider provider, string connectionString)
    {
        Provider = provider;
        ConnectionString = provider == DatabaseProvider.PostgreSql ? WithAutoPrepare(connectionString) : connectionString;
    }

    /// <summary>
    /// How many statements Npgsql keeps prepared on each connection (its automatic preparation) when the connection
    /// string does not say: a page visit sends the same few statements again and again, and unprepared PostgreSQL parses
    /// and plans each one every time. At 10,000 keys and 32 clients every page's median fell, the key page's p99 from 188
    /// to 117 ms (docs/performance.md). <c>Max Auto Prepare=0</c> in the connection string turns it off, for a pooler that
    /// cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    /// </summary>
    public const int AutoPreparedStatements = 50;

    private static string WithAutoPrepare(string connectionString)
    {
        // Asked of the string as written: Npgsql's own builder cannot tell "not set" from the default of 0.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(key => key.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = AutoPreparedStatements }.ConnectionString;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public bool IsSqlite => Provider == DatabaseProvider.Sqlite;

    public bool IsPostgreSql => Provider == DatabaseProvider.PostgreSql;

    /// <summary>Where the data is, for the log: the SQLite file, or the PostgreSQL host and database (never the password).</summary>
    public string Describe() => IsSqlite
        ? new SqliteConnectionStringBuilder(ConnectionString).DataSource
        : new NpgsqlConnectionStringBuilder(ConnectionString) is var b ? $"PostgreSQL {b.Host}:{b.Port}/{b.Database}" : "";

    public static Database FromConfiguration(IConfiguration configuration, DataFolder dataFolder)
    {
        var section = configuration.GetSection(Section);
        var name = section["Provider"];
        var provider = string.IsNullOrWhiteSpace(name) ? DatabaseProvider.Sqlite
            : Enum.TryParse<DatabaseProvider>(name, ignoreCase: true, out var parsed) ? parsed
            : throw new InvalidOperationException($"{Section}:Provider is '{name}'; it must be Sqlite or PostgreSql.");
        if (provider == DatabaseProvider.Sqlite)
        {
            return new Database(provider, dataFolder.ConnectionString);
        }

        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{Section}:Provider is PostgreSql but {Section}:ConnectionString is empty: set it to the server's connection string, e.g. Host=db;Database=creatorkeys;Username=creatorkeys;Password=….");
        }

        return new Database(provider, connectionString);
    }

    /// <summary>Points a context at this database, with its provider's migration set and compiled model.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder options)
    {
        if (IsSqlite)
        {
            // The SQLite compiled model is found by its assembly attribute (Data/CompiledModel).
            return options.UseSqlite(ConnectionString);
        }

        options.UseNpgsql(ConnectionString, npgsql => npgsql.MigrationsAssembly(PostgreSqlAssembly));
        // Named explicitly: otherwise the SQLite compiled model in Core's assembly would be picked up.
        var model = PostgreSqlModel.Value
            ?? throw new InvalidOperationException($"The PostgreSQL compiled model ({PostgreSqlModelType}) is missing: make it with scripts/add-migration.sh.");
        return options.UseModel(model);
    }

    /// <summary>A fresh connection of this database's kind (not opened), for reads outside any context's transaction.</summary>
    public DbConnection NewConnection() => IsSqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);

    /// <summary>
    /// Opens a fresh connection and, on PostgreSQL, waits for the install-wide advisory lock <paramref name="key"/> on it
    /// (<c>pg_advisory_lock</c>), so that what runs under it runs on one app instance at a time; the lock goes when the
    /// returned handle is disposed (or the connection is lost). On SQLite only one instance can use the file, so there
    /// is no lock to take: the caller's own in-process gate is the whole story. <see cref="SharedLocks"/> lists the keys.
    /// </summary>
    public SharedLock Lock(long key)
    {
        var connection = NewConnection();
        try
        {
            connection.Open();
            if (IsPostgreSql)
            {
                using var command = SharedLock.Command(connection, "SELECT pg_advisory_lock(@key)", key);
                command.ExecuteNonQuery();
            }

            return new SharedLock(connection, IsPostgreSql ? key : null);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Lock"/>
    /// <remarks>Waits as long as the holder needs (no command timeout); <paramref name="cancellationToken"/> ends the wait.</remarks>
    public async Task<SharedLock> LockAsync(long key, CancellationToken cancellationToken = default)
    {
        var connection = NewConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (IsPostgreSql)
            {
                await using var command = SharedLock.Command(connection, "SELECT pg_advisory_lock(@key)", key);
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new SharedLock(connection, IsPostgreSql ? key : null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// True when a save failed because a unique index refused a duplicate: SQLite's SQLITE_CONSTRAINT (19; extended
    /// 2067 UNIQUE, 1555 PRIMARY KEY) or PostgreSQL's unique_violation (23505).
    /// </summary>
    public static bool IsUniqueViolation(Exception? exception)
    {
        var inner = exception is DbUpdateException update ? update.InnerException : exception;
        return inner switch
        {
            SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
            PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
            _ => false,
        };
    }

    /// <summary>Any error the database engine itself raised (a locked file, a lost server, a refused statement).</summary>
    public static bool IsDatabaseError(Exception exception) => exception is SqliteException or NpgsqlException;

    /// <summary>
    /// A transaction no other write can slip into: on SQLite the write lock is taken at once (BEGIN IMMEDIATE, its
    /// provider's default); on PostgreSQL it is SERIALIZABLE, so a write that would have landed in between makes one of
    /// the two fail and roll back whole instead.
    /// </summary>
    public static Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginWriteTransactionAsync(DatabaseFacade database, CancellationToken cancellationToken = default) =>
        database.IsSqlite()
            ? database.BeginTransactionAsync(cancellationToken)
            : database.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);

    /// <summary>
    /// SQLite only: deleted rows are overwritten with zeros in this connection (the file may otherwise keep old
    /// secrets in free pages). PostgreSQL has no such switch; its dead rows are reclaimed by VACUUM.
    /// </summary>
    public static Task SecureDeleteOnAsync(DatabaseFacade database, CancellationToken cancellationToken = default) =>
        database.IsSqlite() ? database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// PostgreSQL only: a read-only transaction in which the server compiles no query to machine code (JIT). For a
    /// long query whose estimated cost is high but whose work is simple index lookups, compiling costs more than it
    /// saves (the reminder check: docs/performance.md). Null on SQLite, which has no JIT; dispose it to end it.
    /// </summary>
    public static async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction?> BeginReadWithoutJitAsync(DatabaseFacade database, CancellationToken cancellationToken = default)
    {
        if (database.IsSqlite())
        {
            return null;
        }

        var transaction = await database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        await database.ExecuteSqlRawAsync("SET LOCAL jit = off;", cancellationToken);
        return transaction;
    }

    /// <summary>SQLite only: folds the write-ahead log into the file and empties it (nothing to do on PostgreSQL).</summary>
    public static Task CheckpointAsync(DatabaseFacade database, CancellationToken cancellationToken = default) =>
        database.IsSqlite() ? database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken) : Task.CompletedTask;
}

/// <summary>The advisory-lock keys every app instance on one PostgreSQL agrees on (docs/decisions/020-several-instances.md).</summary>
public static class SharedLocks
{
    /// <summary>Numbering and sealing new activity entries: one save at a time reads the end of a chain and extends it.</summary>
    public const long ActivityChain = 0x436B_0001;

    /// <summary>Sending the email outbox: one delivery at a time, so no message goes out twice.</summary>
    public const long OutboxDelivery = 0x436B_0002;
}

/// <summary>
/// An open connection holding a <see cref="Database.Lock"/> (on PostgreSQL an advisory lock; on SQLite none). Reads
/// that must see the committed state under the lock use <see cref="Connection"/>. Disposing unlocks and closes it.
/// </summary>
public sealed class SharedLock : IDisposable, IAsyncDisposable
{
    private readonly long? _key;

    internal SharedLock(DbConnection connection, long? key)
    {
        Connection = connection;
        _key = key;
    }

    public DbConnection Connection { get; }

    internal static DbCommand Command(DbConnection connection, string sql, long key)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@key";
        parameter.Value = key;
        command.Parameters.Add(parameter);
        return command;
    }

    public void Dispose()
    {
        try
        {
            if (_key is { } key && Connection.State == System.Data.ConnectionState.Open)
            {
                using var command = Command(Connection, "SELECT pg_advisory_unlock(@key)", key);
                command.ExecuteNonQuery();
            }
        }
        catch (DbException)
        {
            // A lost connection has lost its lock with it; a pooled one is reset (DISCARD ALL) before reuse.
        }
        finally
        {
            Connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_key is { } key && Connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = Command(Connection, "SELECT pg_advisory_unlock(@key)", key);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (DbException)
        {
            // As in Dispose.
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
