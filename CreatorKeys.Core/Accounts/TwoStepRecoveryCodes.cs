using System.Security.Cryptography;
using System.Text;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// Two-step recovery codes: 15 characters from Identity's unambiguous alphabet (26 symbols, about
/// 70 random bits), shown as <c>XXXXX-XXXXX-XXXXX</c>. Stored only as
/// <c>HMAC-SHA256(salt, "creatorkeys/two-step-recovery/v1|account|CODE")</c> with a random salt per
/// code. A fast hash is enough because the codes are random, not chosen by a person: guessing one
/// from its hash takes about 2^70 tries, where a stretched hash (PBKDF2) would only make every
/// sign-in with a code slower (docs/decisions/008-two-step-sign-in-and-limits.md).
/// </summary>
public static class TwoStepRecoveryCodes
{
    public const int Length = 15;

    /// <summary>Codes made by Identity before they were hashed here: 10 characters, <c>XXXXX-XXXXX</c>.</summary>
    public const int LegacyLength = 10;

    private const string Alphabet = "23456789BCDFGHJKMNPQRTVWXY";

    public static string Generate()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        var code = new string(chars);
        return $"{code[..5]}-{code[5..10]}-{code[10..]}";
    }

    /// <summary>The compact upper-case form of what was typed (any case, spaces, dashes), or null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 40)
        {
            return null;
        }

        var compact = new string([.. typed.Where(char.IsAsciiLetterOrDigit)]).ToUpperInvariant();
        return compact.Length is Length or LegacyLength ? compact : null;
    }

    public static TwoStepRecoveryCode Hash(string accountId, string normalizedCode)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return new TwoStepRecoveryCode { AccountId = accountId, Salt = salt, Hash = HashWith(salt, accountId, normalizedCode) };
    }

    public static bool Matches(TwoStepRecoveryCode stored, string normalizedCode) =>
        CryptographicOperations.FixedTimeEquals(HashWith(stored.Salt, stored.AccountId, normalizedCode), stored.Hash);

    private static byte[] HashWith(byte[] salt, string accountId, string normalizedCode) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes($"creatorkeys/two-step-recovery/v1|{accountId}|{normalizedCode}"));
}
