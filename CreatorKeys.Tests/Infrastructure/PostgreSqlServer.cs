using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb in a temp folder, started on a free loopback port
/// (trust for the test user, loopback only), stopped and deleted when the test process ends. One database is
/// migrated once as a template; every data folder that asks gets its own copy (CREATE DATABASE … TEMPLATE), dropped
/// when that folder is deleted. The server's programs come from CREATORKEYS_POSTGRES_BIN, else the newest
/// /usr/lib/postgresql/*/bin (scripts/test.sh installs Debian's postgresql when missing). As root, the cluster runs
/// as the postgres user (initdb refuses root).
/// </summary>
public static class PostgreSqlServer
{
    private const string User = "creatorkeys";
    private const string TemplateDatabase = "creatorkeys_template";
    private const string Prefix = "creatorkeys-postgres-";
    private const string OwnerFile = "owner.pid";

    private static readonly Lazy<Cluster> Started = new(Cluster.Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, string> DatabasesByFolder = new();
    private static readonly SemaphoreSlim CreateGate = new(1, 1);

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
            await cluster.EnsureTemplateAsync();
            await using var admin = new NpgsqlConnection(cluster.ConnectionString("postgres") + ";Pooling=false");
            await admin.OpenAsync();
            await using var command = new NpgsqlCommand($"""CREATE DATABASE "{name}" TEMPLATE "{(migrated ? TemplateDatabase : "template0")}" """, admin);
            await command.ExecuteNonQueryAsync();
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

    private sealed class Cluster
    {
        private readonly string _root;
        private readonly string _bin;
        private readonly int _port;
        private readonly string? _runAs;
        private bool _templateReady;

        private Cluster(string root, string bin, int port, string? runAs)
        {
            _root = root;
            _bin = bin;
            _port = port;
            _runAs = runAs;
        }

        private string DataPath => Path.Combine(_root, "data");

        public string ConnectionString(string database) =>
            $"Host=127.0.0.1;Port={_port};Username={User};Database={database};Include Error Detail=true";

        public static Cluster Start()
        {
            var bin = FindBin();
            var runAs = Environment.UserName == "root" ? "postgres" : null;
            RemoveAbandoned(bin, runAs);
            var root = Path.Combine(Path.GetTempPath(), Prefix + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (runAs is not null)
            {
                Run("chown", runAs, root);
            }

            var cluster = new Cluster(root, bin, FreePort(), runAs);
            cluster.RunServerTool("initdb", "-D", cluster.DataPath, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
            cluster.RunServerTool("pg_ctl", "-D", cluster.DataPath, "-l", Path.Combine(root, "server.log"), "-w", "-o",
                $"-p {cluster._port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400", "start");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
            return cluster;
        }

        /// <summary>Clusters left by a test process that was killed before it could stop its own.</summary>
        private static void RemoveAbandoned(string bin, string? runAs)
        {
            foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
            {
                var owner = Path.Combine(folder, OwnerFile);
                if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && IsRunning(pid))
                {
                    continue;
                }

                new Cluster(folder, bin, 0, runAs).Stop();
            }
        }

        private static bool IsRunning(int pid)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        public async Task EnsureTemplateAsync()
        {
            if (_templateReady)
            {
                return;
            }

            NpgsqlConnection.ClearAllPools();

            await using (var admin = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false"))
            {
                await admin.OpenAsync();
                // A template half made by a failed attempt is made again.
                await using var create = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{TemplateDatabase}" WITH (FORCE); """, admin);
                await create.ExecuteNonQueryAsync();
                create.CommandText = $"""CREATE DATABASE "{TemplateDatabase}" """;
                await create.ExecuteNonQueryAsync();
            }

            // The app's own migration set and options, exactly as a new server gets them.
            var database = new Database(DatabaseProvider.PostgreSql, ConnectionString(TemplateDatabase) + ";Pooling=false");
            var options = new DbContextOptionsBuilder<CreatorKeysDbContext>();
            database.Configure(options);
            await using var db = new CreatorKeysDbContext(options.Options);
            await db.Database.MigrateAsync();
            _templateReady = true;
        }

        private void Stop()
        {
            try
            {
                NpgsqlConnection.ClearAllPools();
                RunServerTool("pg_ctl", "-D", DataPath, "-m", "immediate", "-w", "stop");
            }
            catch (InvalidOperationException)
            {
                // Already gone; the folder is removed below either way.
            }

            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Removed by the next run (RemoveAbandoned) or the OS's temp cleaning.
            }
        }

        private void RunServerTool(string tool, params string[] args)
        {
            var path = Path.Combine(_bin, tool);
            if (_runAs is null)
            {
                Run(path, args);
            }
            else
            {
                Run("runuser", ["-u", _runAs, "--", path, .. args]);
            }
        }

        private static void Run(string file, params string[] args)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
            // Small outputs (the server's own log goes to a file), read one after the other.
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {error} {output}");
            }
        }

        private static string FindBin()
        {
            var configured = Environment.GetEnvironmentVariable("CREATORKEYS_POSTGRES_BIN");
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return configured;
            }

            var found = Directory.Exists("/usr/lib/postgresql")
                ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                    .Select(d => Path.Combine(d, "bin"))
                    .Where(d => File.Exists(Path.Combine(d, "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                    .FirstOrDefault()
                : null;
            return found ?? throw new InvalidOperationException("No PostgreSQL server programs found: install Debian's postgresql package (scripts/test.sh does) or set CREATORKEYS_POSTGRES_BIN.");
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
