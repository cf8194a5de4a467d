using Microsoft.Extensions.Configuration;

namespace CreatorKeys.Core.Data;

/// <summary>
/// The one folder that holds everything the app writes: the SQLite database, the
/// DataProtection key ring and the mail outbox. Setting <c>CreatorKeys:DataFolder</c>;
/// a relative path is taken from the directory the app is started in.
/// </summary>
public sealed class DataFolder
{
    public const string SettingName = "CreatorKeys:DataFolder";
    public const string DefaultPath = "data";

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

    /// <summary>Creates the folder and its sub-folders if they are missing.</summary>
    public void EnsureExists()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(KeyRingPath);
        Directory.CreateDirectory(OutboxPath);
    }
}
