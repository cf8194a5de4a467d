using System.Security.Cryptography;
using System.Text;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// The one-time recovery code printed in the emergency kit: 24 characters of Crockford
/// base32 (120 random bits), shown in groups of four. Typing is forgiving: case, spaces,
/// dashes and the look-alikes O/0 and I/L/1 do not matter.
/// </summary>
public static class RecoveryCode
{
    public const int Length = 24;
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>A new random code, formatted as <c>XXXX-XXXX-XXXX-XXXX-XXXX-XXXX</c>.</summary>
    public static string Generate()
    {
        var chars = new char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return Format(new string(chars));
    }

    /// <summary>Returns the canonical form of what the creator typed, or null when it cannot be a recovery code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var builder = new StringBuilder(Length);
        foreach (var raw in input)
        {
            if (raw is '-' or ' ' or '\t' or '\r' or '\n')
            {
                continue;
            }

            var c = char.ToUpperInvariant(raw) switch
            {
                'O' => '0',
                'I' or 'L' => '1',
                var other => other,
            };
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.Length == Length ? Format(builder.ToString()) : null;
    }

    private static string Format(string code) =>
        string.Join('-', Enumerable.Range(0, Length / 4).Select(i => code.Substring(i * 4, 4)));
}
