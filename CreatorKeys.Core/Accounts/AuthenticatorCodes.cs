using OtpNet;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// The 6-digit codes of an authenticator app (TOTP, RFC 6238: 30-second steps, SHA-1), checked
/// against the account's key once the vault has opened it. One step either side is accepted (the
/// phone's clock may be half a minute off); which step matched is returned so the caller can
/// refuse that step and every earlier one from then on (a code seen over a shoulder cannot be replayed).
/// </summary>
public static class AuthenticatorCodes
{
    /// <summary>Identity's key size: 160 bits, 32 base32 characters in the app.</summary>
    public const int KeyBytes = 20;

    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    /// <summary>The time step the code belongs to, or null when it matches none in the window.</summary>
    public static long? MatchingStep(byte[] key, string code, DateTimeOffset now)
    {
        var totp = new Totp(key);
        return totp.VerifyTotp(now.UtcDateTime, code, out var step, Window) ? step : null;
    }

    /// <summary>The key as the app types it: base32, no padding.</summary>
    public static string ToBase32(byte[] key) => Base32Encoding.ToString(key).TrimEnd('=');

    /// <summary>Six digits, ignoring spaces and dashes ("123 456"); null for anything else.</summary>
    public static string? Normalize(string? token)
    {
        if (token is null || token.Length > 20)
        {
            return null;
        }

        var digits = new string([.. token.Where(c => c is not (' ' or '-' or '\u00A0'))]);
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
