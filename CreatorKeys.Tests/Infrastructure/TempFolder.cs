using Microsoft.Data.Sqlite;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>A fresh data folder under the system temp directory, deleted when disposed.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "creatorkeys-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Every byte of every file in the folder, with the file's relative path.</summary>
    public IEnumerable<(string File, byte[] Bytes)> AllFiles() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
            .Select(f => (System.IO.Path.GetRelativePath(Path, f), ReadShared(f)));

    public void Dispose()
    {
        // This folder's pooled connections only: clearing every pool closed other running tests' idle connections,
        // and SQLite deletes a database's WAL file when its last connection closes, so a test scanning its folder at
        // that moment found no creatorkeys.db-wal (VaultLifecycleTests, once in CI).
        using (var connection = new SqliteConnection(new CreatorKeys.Core.Data.DataFolder(Path).ConnectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        PostgreSqlServer.DropDatabaseOf(Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere; the temp directory is cleaned by the OS eventually.
        }
    }

    private static byte[] ReadShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
