using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.AccessTokens;

/// <summary>
/// The token text <c>ck_&lt;env&gt;_&lt;id&gt;.&lt;secret&gt;</c> and the two keys derived from its 32-byte random secret
/// with HKDF-SHA256: a verifier (stored) and a sealing key (never stored). docs/decisions/016-access-tokens.md.
/// </summary>
public static class AccessTokenCrypto
{
    public const int SecretBytes = 32;
    private const int IdLength = 16;
    private const string IdAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>A new random token id: 16 lower-case letters and digits (80 bits).</summary>
    public static string NewId() => RandomNumberGenerator.GetString(IdAlphabet, IdLength);

    public static string Format(VaultEnvironment environment, string id, ReadOnlySpan<byte> secret) =>
        $"ck_{environment.Code().ToLowerInvariant()}_{id}.{Base64Url.EncodeToString(secret)}";

    /// <summary>Reads a token's parts; false for anything not shaped like a token (the secret is then empty).</summary>
    public static bool TryParse(string? text, out VaultEnvironment environment, out string id, out byte[] secret)
    {
        environment = default;
        id = "";
        secret = [];
        if (text is null || text.Length > 200 || !text.StartsWith("ck_", StringComparison.Ordinal))
        {
            return false;
        }

        var envEnd = text.IndexOf('_', 3);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (envEnd < 0 || dot < envEnd)
        {
            return false;
        }

        var code = text[3..envEnd];
        if (code.Any(char.IsAsciiLetterUpper) || VaultEnvironments.ParseCode(code) is not { } parsed)
        {
            return false;
        }

        var idText = text[(envEnd + 1)..dot];
        if (idText.Length is 0 or > 64 || !idText.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        if (bytes.Length != SecretBytes)
        {
            return false;
        }

        environment = parsed;
        id = idText;
        secret = bytes;
        return true;
    }

    /// <summary>Only the id part of a token-shaped text, for counting requests per token before it is checked.</summary>
    public static string? IdOf(string? text)
    {
        if (text is null || !text.StartsWith("ck_", StringComparison.Ordinal))
        {
            return null;
        }

        var envEnd = text.IndexOf('_', 3);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return envEnd > 0 && dot > envEnd + 1 && dot - envEnd <= 65 ? text[(envEnd + 1)..dot] : null;
    }

    public static byte[] Verifier(ReadOnlySpan<byte> secret) => Derive(secret, "creatorkeys/access-token/v1/verifier");

    public static byte[] SealingKey(ReadOnlySpan<byte> secret) => Derive(secret, "creatorkeys/access-token/v1/seal");

    public static byte[] AssociatedData(string accountId, string tokenId, VaultEnvironment environment) =>
        Encoding.UTF8.GetBytes($"creatorkeys/access-token/v1|{accountId}|{tokenId}|{environment.Code()}");

    private static byte[] Derive(ReadOnlySpan<byte> secret, string purpose)
    {
        var output = new byte[VaultCrypto.KeyBytes];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, output, ReadOnlySpan<byte>.Empty, Encoding.UTF8.GetBytes(purpose));
        return output;
    }
}
