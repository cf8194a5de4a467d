using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Backup;

/// <summary>
/// The backup file: a small JSON envelope around the vault's contents, gzipped and sealed
/// with AES-256-GCM under a key stretched from the backup passphrase with PBKDF2-HMAC-SHA256.
/// The envelope's own fields are the cipher's associated data, so changing any of them (or a
/// byte of the data) is detected. A passphrase check value tells a wrong passphrase apart
/// from a damaged file. Documented in docs/formats.md ("The backup file").
/// </summary>
public static class BackupFile
{
    public const string FormatName = "creatorkeys-backup";
    public const int FormatVersion = 1;
    public const int MinPassphraseLength = 12;
    public const int MaxPassphraseLength = 1024;

    /// <summary>A backup larger than this is refused before it is read (a vault of 10,000 keys is a few MB).</summary>
    public const int MaxFileBytes = 10 * 1024 * 1024;

    /// <summary>The contents may not unpack to more than this: a file that does is not one we made.</summary>
    private const int MaxPayloadBytes = 64 * 1024 * 1024;

    private const int MaxIterations = 10_000_000;
    private const string CheckPurpose = "creatorkeys/backup/v1/passphrase-check";
    private const string EncryptPurpose = "creatorkeys/backup/v1/encrypt";

    public static string? PassphraseProblem(string? passphrase) => passphrase switch
    {
        null or "" => "Choose a passphrase for the backup.",
        { Length: < MinPassphraseLength } => $"Use at least {MinPassphraseLength} characters: a few unrelated words are strong and easy to keep.",
        { Length: > MaxPassphraseLength } => "That passphrase is too long.",
        _ => null,
    };

    public static byte[] Write(ReadOnlySpan<byte> payload, string passphrase, int iterations, DateTimeOffset createdAt)
    {
        var salt = VaultCrypto.NewSalt();
        var envelope = new Envelope(FormatName, FormatVersion, createdAt, new Kdf("PBKDF2-HMAC-SHA256", iterations, Convert.ToBase64String(salt)), "", "AES-256-GCM", "");
        var (encrypt, check) = Keys(passphrase, salt, iterations);
        try
        {
            var sealedData = VaultCrypto.Seal(encrypt, Compress(payload), AssociatedData(envelope));
            envelope = envelope with { Check = Convert.ToBase64String(check), Data = Convert.ToBase64String(sealedData) };
            return JsonSerializer.SerializeToUtf8Bytes(envelope, JsonOptions);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encrypt);
        }
    }

    /// <summary>Opens a backup; the payload, or why not in plain words. Never throws on bad input.</summary>
    /// <param name="maxIterations">The most PBKDF2 rounds this install will spend on a file; a file asking for more is refused before any are.</param>
    public static BackupReadResult Read(ReadOnlySpan<byte> file, string passphrase, int maxIterations = MaxIterations)
    {
        if (string.IsNullOrEmpty(passphrase))
        {
            return BackupReadResult.Fail(BackupProblem.WrongPassphrase, "Type the passphrase that was chosen when this backup was made.");
        }

        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>(file, JsonOptions);
        }
        catch (JsonException)
        {
            return BackupReadResult.Fail(BackupProblem.Damaged, "This file is not a complete CreatorKeys backup: it may have been cut off while copying, or it is another kind of file.");
        }

        if (envelope is null || envelope.Format != FormatName)
        {
            return BackupReadResult.Fail(BackupProblem.Damaged, "This file is not a CreatorKeys backup.");
        }

        if (envelope.FormatVersion > FormatVersion)
        {
            return BackupReadResult.Fail(BackupProblem.NewerFormat, $"This backup was made by a newer version of CreatorKeys (backup format {envelope.FormatVersion}; this app reads format {FormatVersion}). Update CreatorKeys, then restore it.");
        }

        byte[] salt, check, data;
        try
        {
            salt = Convert.FromBase64String(envelope.Kdf?.Salt ?? "");
            check = Convert.FromBase64String(envelope.Check ?? "");
            data = Convert.FromBase64String(envelope.Data ?? "");
        }
        catch (FormatException)
        {
            return Altered();
        }

        if (envelope.Kdf is { Algorithm: "PBKDF2-HMAC-SHA256" } asked && asked.Iterations > maxIterations && asked.Iterations <= MaxIterations)
        {
            return BackupReadResult.Fail(BackupProblem.TooCostly, string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "This backup asks for {0:N0} rounds of passphrase stretching, more than twice this install's setting ({1:N0} at most), so opening it could tie up the server. " +
                "Nothing was restored. Restore it on the install that made it, or raise CreatorKeys:Vault:KeyDerivationIterations here first.",
                asked.Iterations, maxIterations));
        }

        if (envelope.FormatVersion < 1 || envelope.Kdf is not { Algorithm: "PBKDF2-HMAC-SHA256" } kdf || envelope.Cipher != "AES-256-GCM"
            || kdf.Iterations < VaultCrypto.MinimumIterations || kdf.Iterations > MaxIterations || salt.Length != VaultCrypto.SaltBytes || check.Length != 32)
        {
            return Altered();
        }

        byte[] encrypt = [];
        byte[] compressed = [];
        try
        {
            (encrypt, var expectedCheck) = Keys(passphrase, salt, kdf.Iterations);
            if (!CryptographicOperations.FixedTimeEquals(expectedCheck, check))
            {
                // The check depends on the salt and iteration count too, so a damaged header lands here as well.
                return BackupReadResult.Fail(BackupProblem.WrongPassphrase, WrongPassphraseMessage);
            }

            compressed = VaultCrypto.Open(encrypt, data, AssociatedData(envelope));
            return BackupReadResult.Ok(Decompress(compressed), envelope.CreatedAt);
        }
        catch (Exception ex) when (ex is VaultCryptoException or InvalidDataException or ArgumentException)
        {
            return Altered();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encrypt);
            CryptographicOperations.ZeroMemory(compressed);
        }
    }

    public const string WrongPassphraseMessage =
        "That passphrase does not open this backup. Check it and try again (it is case-sensitive). If you are sure it is right, this copy of the file is damaged: try another copy.";

    private static BackupReadResult Altered() =>
        BackupReadResult.Fail(BackupProblem.Altered, "This backup was changed or damaged after it was made, so it cannot be trusted. Nothing was restored; use another copy of it.");

    private static (byte[] Encrypt, byte[] Check) Keys(string passphrase, byte[] salt, int iterations)
    {
        var master = VaultCrypto.DeriveKeyFromSecret(passphrase, salt, iterations);
        try
        {
            var encrypt = VaultCrypto.DeriveSubkey(master, EncryptPurpose);
            var checkKey = VaultCrypto.DeriveSubkey(master, CheckPurpose);
            var check = HMACSHA256.HashData(checkKey, Encoding.UTF8.GetBytes(CheckPurpose));
            CryptographicOperations.ZeroMemory(checkKey);
            return (encrypt, check);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(master);
        }
    }

    /// <summary>Every envelope field but the sealed data itself, so none can be changed unnoticed.</summary>
    private static byte[] AssociatedData(Envelope envelope) => Encoding.UTF8.GetBytes(
        $"{envelope.Format}|{envelope.FormatVersion}|{envelope.CreatedAt.UtcTicks}|{envelope.Kdf!.Algorithm}|{envelope.Kdf.Iterations}|{envelope.Kdf.Salt}|{envelope.Cipher}");

    private static byte[] Compress(ReadOnlySpan<byte> payload)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(payload);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (output.Length + read > MaxPayloadBytes)
            {
                throw new InvalidDataException("The backup's contents are larger than any vault.");
            }

            output.Write(buffer, 0, read);
        }

        var payload = output.ToArray();
        CryptographicOperations.ZeroMemory(output.GetBuffer());
        return payload;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed record Envelope(string? Format, int FormatVersion, DateTimeOffset CreatedAt, Kdf? Kdf, string? Check, string? Cipher, string? Data);

    private sealed record Kdf(string? Algorithm, int Iterations, string? Salt);
}

public enum BackupProblem
{
    Damaged,
    NewerFormat,
    WrongPassphrase,
    Altered,

    /// <summary>The file asks for more key-stretching rounds than this install will spend.</summary>
    TooCostly,
}

public sealed record BackupReadResult(byte[]? Payload, DateTimeOffset? CreatedAt, BackupProblem? Problem, string? Message)
{
    public bool Succeeded => Payload is not null;

    public static BackupReadResult Ok(byte[] payload, DateTimeOffset createdAt) => new(payload, createdAt, null, null);

    public static BackupReadResult Fail(BackupProblem problem, string message) => new(null, null, problem, message);
}
