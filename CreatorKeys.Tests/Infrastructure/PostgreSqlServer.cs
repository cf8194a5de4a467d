using System.Collections.Concurrent;
using CreatorKeys.Benchmarks.Harness;
using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run (<see cref="PostgreSqlCluster"/>, shared with the benchmark
/// harness): initdb in a temp folder, started on a free loopback port (trust for the test user, loopback only), stopped
/// and deleted when the test process ends. One database is migrated once as a template; every data folder that asks gets its own copy (CREATE DATABASE … TEMPLATE), dropped
/// when that folder is deleted.
/// </summary>
public static class PostgreSqlServer
{
    private const string TemplateDatabase = "creatorkeys_template";
    private const string Prefix = "creatorkeys-postgres-";

    private static readonly Lazy<PostgreSqlCluster> Started = new(() => PostgreSqlCluster.Start(Prefix), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, string> DatabasesByFolder = new();
    private static readonly SemaphoreSlim CreateGate = new(1, 1);
    private static bool _templateReady;

    /// <summary>
    /// The connection string of the database that belongs to <paramref name="folder"/>, made on first use: a copy of
    /// the migrated template, or with <paramref name="migrated"/> false an empty one (a new server's first start).
    /// </summary>
    public static async Task<string> DatabaseForAsync(TempFolder folder, bool migrated = true)
    {
        var cluster = Started.Value;
        if (DatabasesByFolder.TryGetValue(folder.Path, out var existing))
        {
            return cluster.ConnectionString(existing);
        }

        var name = "ck_" + Guid.NewGuid().ToString("N");
        // CREATE DATABASE … TEMPLATE needs the template to have no other session: one copy at a time.
        await CreateGate.WaitAsync();
        try
        {
            await EnsureTemplateAsync(cluster);
            await cluster.CreateDatabaseAsync(name, migrated ? TemplateDatabase : "template0");
        }
        finally
        {
            CreateGate.Release();
        }

        DatabasesByFolder[folder.Path] = name;
        return cluster.ConnectionString(name);
    }

    /// <summary>Drops the folder's database, if it has one (called when the folder is deleted).</summary>
    public static void DropDatabaseOf(string folderPath)
    {
        if (!DatabasesByFolder.TryRemove(folderPath, out var name) || !Started.IsValueCreated)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            using var admin = new NpgsqlConnection(Started.Value.ConnectionString("postgres") + ";Pooling=false");
            admin.Open();
            using var command = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", admin);
            command.ExecuteNonQuery();
        }
        catch (NpgsqlException)
        {
            // The whole cluster is deleted when the run ends.
        }
    }

    /// <summary>A connection string for a database of the cluster (for tests that make their own).</summary>
    public static string ConnectionString(string database) => Started.Value.ConnectionString(database);

    /// <summary>Migrates the template database once: the app's own migration set and options, as a new server gets them.</summary>
    private static async Task EnsureTemplateAsync(PostgreSqlCluster cluster)
    {
        if (_templateReady)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        // A template half made by a failed attempt is made again.
        await cluster.DropDatabaseAsync(TemplateDatabase);
        await cluster.CreateDatabaseAsync(TemplateDatabase);

        var database = new Database(DatabaseProvider.PostgreSql, cluster.ConnectionString(TemplateDatabase) + ";Pooling=false");
        var options = new DbContextOptionsBuilder<CreatorKeysDbContext>();
        database.Configure(options);
        await using var db = new CreatorKeysDbContext(options.Options);
        await db.Database.MigrateAsync();
        _templateReady = true;
    }
}
