using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;

namespace CreatorKeys.Core.Data;

/// <summary>
/// The one folder that holds everything the app writes: the SQLite database, the
/// DataProtection key ring and the mail outbox. Setting <c>CreatorKeys:DataFolder</c>;
/// a relative path is taken from the directory the app is started in.
/// </summary>
/// <remarks>
/// On Linux and macOS the folder and everything in it belong to the app's user alone: folders 0700, files 0600.
/// </remarks>
public sealed class DataFolder
{
    public const string SettingName = "CreatorKeys:DataFolder";
    public const string DefaultPath = "data";

    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public DataFolder(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "creatorkeys.db");

    public string KeyRingPath => Path.Combine(Root, "keys");

    public string OutboxPath => Path.Combine(Root, "outbox");

    public string ConnectionString => $"Data Source={DatabasePath};Foreign Keys=True";

    public static DataFolder FromConfiguration(IConfiguration configuration)
    {
        var configured = configuration[SettingName];
        return new DataFolder(string.IsNullOrWhiteSpace(configured) ? DefaultPath : configured);
    }

    /// <summary>
    /// Creates the folder and its sub-folders if they are missing, readable by the app's user only.
    /// On Unix it also sets the process's umask to 077, so every file written later (SQLite's
    /// <c>-wal</c>/<c>-shm</c>, key-ring files, outbox messages) is created 0600 whichever library
    /// writes it, and puts right the modes of anything an older version left group- or world-readable.
    /// The empty SQLite file is made only when <paramref name="sqliteFile"/> is true: with PostgreSQL the data
    /// folder holds the key files and the outbox, and no database file.
    /// </summary>
    public void EnsureExists(bool sqliteFile = true)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(KeyRingPath);
            Directory.CreateDirectory(OutboxPath);
            return;
        }

        RestrictNewFilesToOwner();
        Directory.CreateDirectory(Root, FolderMode);
        Directory.CreateDirectory(KeyRingPath, FolderMode);
        Directory.CreateDirectory(OutboxPath, FolderMode);
        if (sqliteFile && !File.Exists(DatabasePath))
        {
            // SQLite gives its -wal and -shm files the database file's mode.
            using var _ = new FileStream(DatabasePath, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }

        RestrictToOwner();
    }

    /// <summary>Sets 0700 on the folder and every folder in it and 0600 on every file (Unix only).</summary>
    public void RestrictToOwner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(Root, FolderMode);
        foreach (var entry in new DirectoryInfo(Root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            if (entry.LinkTarget is not null)
            {
                continue;
            }

            var wanted = entry is DirectoryInfo ? FolderMode : FileMode;
            if (entry.UnixFileMode != wanted)
            {
                entry.UnixFileMode = wanted;
            }
        }
    }

    /// <summary>umask(077): files and folders this process creates from now on are its user's alone.</summary>
    private static void RestrictNewFilesToOwner()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            _ = SetUmask(0b000_111_111);
        }
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code for the project, and umask(2) is blittable.
    [DllImport("libc", EntryPoint = "umask")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern uint SetUmask(uint mask);
}
