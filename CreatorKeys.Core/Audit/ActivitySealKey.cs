using System.Security.Cryptography;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Audit;

/// <summary>
/// The server key that seals the activity log (HMAC-SHA256), kept outside the database: 32 random
/// bytes in <c>keys/activity-seal.key</c>, protected with ASP.NET Core DataProtection like the other
/// server secrets (so a key-ring certificate encrypts it too) and readable by the app's user only.
/// Someone who can write the database but not read this file cannot re-seal a changed log.
/// </summary>
/// <remarks>See docs/decisions/010-activity-log-seal.md.</remarks>
public sealed class ActivitySealKey(DataFolder dataFolder, ServerSecretProtector protector, ILogger<ActivitySealKey> logger)
{
    public const string FileName = "activity-seal.key";

    private readonly Lock _gate = new();
    private byte[]? _key;

    public string FilePath => Path.Combine(dataFolder.KeyRingPath, FileName);

    /// <summary>The key, read (or made, on first use) once per process.</summary>
    public ReadOnlySpan<byte> Key
    {
        get
        {
            lock (_gate)
            {
                return _key ??= LoadOrCreate();
            }
        }
    }

    private byte[] LoadOrCreate()
    {
        if (File.Exists(FilePath))
        {
            var stored = File.ReadAllText(FilePath).Trim();
            if (protector.TryUnprotect(stored) is { } text && TryDecode(text) is { } key)
            {
                return key;
            }

            // The key ring that protected it is gone: the entries sealed with it can no longer be
            // vouched for (Verify will say so); keep the file for an expert and start a new key.
            var aside = $"{FilePath}.unreadable-{DateTime.UtcNow:yyyyMMddHHmmss}";
            File.Move(FilePath, aside);
            logger.LogWarning("The activity log's seal key could not be read (was the key ring replaced?); it was moved to {Path} and a new key made. Entries sealed before now will not verify.", aside);
        }

        var created = RandomNumberGenerator.GetBytes(32);
        Directory.CreateDirectory(dataFolder.KeyRingPath);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        // Written whole beside it, then moved into place without replacing: instances sharing the data folder that
        // start at the same moment end up with one key, the first one moved in (the others read it).
        var temporary = $"{FilePath}.{Guid.NewGuid():N}.tmp";
        using (var writer = new StreamWriter(temporary, options))
        {
            writer.Write(protector.Protect(Convert.ToBase64String(created)));
        }

        try
        {
            File.Move(temporary, FilePath, overwrite: false);
            return created;
        }
        catch (IOException) when (File.Exists(FilePath))
        {
            File.Delete(temporary);
            var stored = File.ReadAllText(FilePath).Trim();
            return protector.TryUnprotect(stored) is { } text && TryDecode(text) is { } key
                ? key
                : throw new InvalidOperationException($"Another instance made the activity log's seal key at {FilePath} at the same moment, and it cannot be read with this instance's key ring: every instance must share one key ring (the database on PostgreSQL).");
        }
    }

    private static byte[]? TryDecode(string text)
    {
        try
        {
            var key = Convert.FromBase64String(text);
            return key.Length == 32 ? key : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
