using System.Security.Cryptography;
using System.Text;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// The vault's cryptographic primitives, all from System.Security.Cryptography:
/// PBKDF2-HMAC-SHA256 to turn a password or recovery code into a wrapping key,
/// HKDF-SHA256 to derive per-purpose keys from the vault key, AES-256-GCM for every
/// sealed blob and HMAC-SHA256 for fingerprints. See docs/decisions/002-vault-encryption.md.
/// </summary>
/// <remarks>
/// Sealed blob layout (format version 1):
/// <c>[version:1][nonce:12][tag:16][ciphertext:n]</c>. The associated data is not stored;
/// the caller rebuilds it from the row, so a blob copied elsewhere fails to open.
/// </remarks>
public static class VaultCrypto
{
    public const int KeyBytes = 32;
    public const int NonceBytes = 12;
    public const int TagBytes = 16;
    public const int SaltBytes = 16;
    public const byte BlobVersion = 1;

    /// <summary>The OWASP 2023 figure for PBKDF2-HMAC-SHA256; the app refuses anything lower.</summary>
    public const int MinimumIterations = 600_000;

    private const int HeaderBytes = 1 + NonceBytes + TagBytes;

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(KeyBytes);

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    /// <summary>Stretches a password or recovery code into a 256-bit wrapping key.</summary>
    public static byte[] DeriveKeyFromSecret(string secret, byte[] salt, int iterations)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var secretBytes = Encoding.UTF8.GetBytes(secret);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(secretBytes, salt, iterations, HashAlgorithmName.SHA256, KeyBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secretBytes);
        }
    }

    /// <summary>Derives an independent key for one purpose (an environment, fingerprints) from the vault key.</summary>
    public static byte[] DeriveSubkey(ReadOnlySpan<byte> vaultKey, string purpose)
    {
        var output = new byte[KeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, vaultKey, output, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(purpose));
        return output;
    }

    /// <summary>Encrypts with AES-256-GCM under a fresh random nonce, binding <paramref name="associatedData"/>.</summary>
    public static byte[] Seal(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        using var aes = new AesGcm(key, TagBytes);
        return Seal(aes, plaintext, associatedData);
    }

    /// <summary>
    /// <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> with a cipher whose key is
    /// already expanded (an unlocked vault keeps one per environment). The caller serialises its use.
    /// </summary>
    public static byte[] Seal(AesGcm aes, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var blob = new byte[HeaderBytes + plaintext.Length];
        blob[0] = BlobVersion;
        var nonce = blob.AsSpan(1, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(HeaderBytes), blob.AsSpan(1 + NonceBytes, TagBytes), associatedData);
        return blob;
    }

    /// <summary>Decrypts a blob made by <see cref="Seal(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>; any change to it, its key or its associated data fails.</summary>
    /// <exception cref="VaultCryptoException">The blob is damaged, of an unknown format, or does not belong here.</exception>
    public static byte[] Open(ReadOnlySpan<byte> key, ReadOnlySpan<byte> blob, ReadOnlySpan<byte> associatedData)
    {
        CheckHeader(blob);
        using var aes = new AesGcm(key, TagBytes);
        return Open(aes, blob, associatedData);
    }

    /// <summary><see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> with a cipher whose key is already expanded. The caller serialises its use.</summary>
    /// <exception cref="VaultCryptoException">The blob is damaged, of an unknown format, or does not belong here.</exception>
    public static byte[] Open(AesGcm aes, ReadOnlySpan<byte> blob, ReadOnlySpan<byte> associatedData)
    {
        CheckHeader(blob);
        var plaintext = new byte[blob.Length - HeaderBytes];
        try
        {
            aes.Decrypt(blob.Slice(1, NonceBytes), blob[HeaderBytes..], blob.Slice(1 + NonceBytes, TagBytes), plaintext, associatedData);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            throw new VaultCryptoException("The stored data could not be decrypted: it was changed, moved, or the key is wrong.", ex);
        }
    }

    private static void CheckHeader(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < HeaderBytes)
        {
            throw new VaultCryptoException("The stored data is damaged: it is shorter than any encrypted value can be.");
        }

        if (blob[0] != BlobVersion)
        {
            throw new VaultCryptoException($"The stored data uses format {blob[0]}, which this version of CreatorKeys cannot read.");
        }
    }

    /// <summary>A keyed fingerprint of a value: equal values give equal fingerprints within one vault, and nothing outside it.</summary>
    public static byte[] Fingerprint(ReadOnlySpan<byte> fingerprintKey, string value)
    {
        var valueBytes = Encoding.UTF8.GetBytes(value);
        try
        {
            return HMACSHA256.HashData(fingerprintKey, valueBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(valueBytes);
        }
    }
}
