using System.Globalization;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// Checks the 6-digit codes of an authenticator app (TOTP, RFC 6238: 30-second steps, SHA-1),
/// against the key Identity keeps for the account. Replaces Identity's own authenticator
/// provider for two reasons: it reads the clock from <see cref="TimeProvider"/> (so tests can
/// move time), and it accepts each code once: the last used time step is stored, and a code
/// from that step or an earlier one is refused, so a code seen over someone's shoulder cannot
/// be replayed within its 30 seconds.
/// </summary>
public sealed class AuthenticatorCodeProvider(TimeProvider time) : IUserTwoFactorTokenProvider<Account>
{
    /// <summary>Where the last used step is kept (Identity's user tokens table).</summary>
    public const string TokenLoginProvider = "[CreatorKeys]";
    public const string LastStepTokenName = "AuthenticatorLastStep";

    /// <summary>One step either side: the phone's clock may be half a minute off.</summary>
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    // Read-compare-write of the last step must not interleave for two submissions of one code.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Account> manager, Account user) =>
        !string.IsNullOrEmpty(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The app on the phone makes the codes; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<Account> manager, Account user) =>
        throw new NotSupportedException("Authenticator codes come from the creator's authenticator app.");

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Account> manager, Account user)
    {
        var code = Normalize(token);
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (code is null || string.IsNullOrEmpty(key))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, Window))
        {
            return false;
        }

        await Gate.WaitAsync();
        try
        {
            var last = await manager.GetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName);
            if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
            {
                return false;
            }

            var saved = await manager.SetAuthenticationTokenAsync(user, TokenLoginProvider, LastStepTokenName, step.ToString(CultureInfo.InvariantCulture));
            return saved.Succeeded;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Six digits, ignoring spaces and dashes ("123 456"); null for anything else.</summary>
    public static string? Normalize(string? token)
    {
        if (token is null || token.Length > 20)
        {
            return null;
        }

        var digits = new string(token.Where(c => c is not (' ' or '-' or '\u00A0')).ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }
}
