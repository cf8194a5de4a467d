using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb in a temp folder, started on a free loopback port (trust for one user, loopback
/// only, no fsync), stopped and deleted by <see cref="Stop"/> or, failing that, when the process ends. Shared by the
/// test suite (CreatorKeys.Tests' <c>PostgreSqlServer</c>) and the benchmark harness (<c>--database postgresql</c>).
/// The server's programs come from CREATORKEYS_POSTGRES_BIN, else the newest /usr/lib/postgresql/*/bin (scripts/test.sh
/// installs Debian's postgresql when missing). As root, the cluster runs as the postgres user (initdb refuses root).
/// A cluster left behind by a process that was killed first is removed by the next start with the same folder prefix.
/// </summary>
public sealed class PostgreSqlCluster : IDisposable
{
    public const string User = "creatorkeys";
    private const string OwnerFile = "owner.pid";

    private readonly string _root;
    private readonly string _bin;
    private readonly int _port;
    private readonly string? _runAs;
    private int _stopped;

    private PostgreSqlCluster(string root, string bin, int port, string? runAs)
    {
        _root = root;
        _bin = bin;
        _port = port;
        _runAs = runAs;
    }

    private string DataPath => Path.Combine(_root, "data");

    /// <summary>Where the cluster lives (its data, socket and server.log).</summary>
    public string Folder => _root;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={_port};Username={User};Database={database};Include Error Detail=true";

    /// <summary>Makes and starts a cluster in a new temp folder named <paramref name="folderPrefix"/>…</summary>
    public static PostgreSqlCluster Start(string folderPrefix)
    {
        var bin = FindBin();
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        RemoveAbandoned(folderPrefix, bin, runAs);
        var root = Path.Combine(Path.GetTempPath(), folderPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, OwnerFile), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (runAs is not null)
        {
            Run("chown", runAs, root);
        }

        var cluster = new PostgreSqlCluster(root, bin, FreePort(), runAs);
        try
        {
            cluster.RunServerTool("initdb", "-D", cluster.DataPath, "-U", User, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
            cluster.RunServerTool("pg_ctl", "-D", cluster.DataPath, "-l", Path.Combine(root, "server.log"), "-w", "-o",
                $"-p {cluster._port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400", "start");
        }
        catch
        {
            cluster.Stop();
            throw;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        return cluster;
    }

    /// <summary>Creates database <paramref name="name"/> as a copy of <paramref name="template"/>.</summary>
    public async Task CreateDatabaseAsync(string name, string template = "template0")
    {
        await using var admin = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"""CREATE DATABASE "{name}" TEMPLATE "{template}" """, admin);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Drops database <paramref name="name"/> if it is there, closing its sessions.</summary>
    public async Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand($"""DROP DATABASE IF EXISTS "{name}" WITH (FORCE)""", admin);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Stops the server and deletes its folder; once, however often it is called.</summary>
    public void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(DataPath))
            {
                RunServerTool("pg_ctl", "-D", DataPath, "-m", "immediate", "-w", "stop");
            }
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
            // Removed by the next start (RemoveAbandoned) or the OS's temp cleaning.
        }
    }

    public void Dispose() => Stop();

    /// <summary>Clusters left by a process that was killed before it could stop its own.</summary>
    private static void RemoveAbandoned(string folderPrefix, string bin, string? runAs)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), folderPrefix + "*"))
        {
            var owner = Path.Combine(folder, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), out var pid) && IsRunning(pid))
            {
                continue;
            }

            new PostgreSqlCluster(folder, bin, 0, runAs).Stop();
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
