using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CreatorKeys.Web.Accounts;

/// <summary>
/// A short-lived cookie (encrypted by DataProtection) that says "this browser has just signed out of
/// this account", so the sign-in page can offer "Sign out everywhere" without asking for the
/// password again. It can do nothing but lock that account's sessions, for ten minutes.
/// </summary>
public sealed class SignedOutProof(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string CookieName = "CreatorKeys.SignedOut";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("CreatorKeys.SignedOutProof.v1");

    public void Issue(HttpContext context, string accountId)
    {
        // The page rendered in this same response (a sign-in page reached with a signed-out cookie) can offer it too.
        context.Items[CookieName] = accountId;
        var until = (time.GetUtcNow() + Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        context.Response.Cookies.Append(CookieName, _protector.Protect($"{until}|{accountId}"), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            IsEssential = true,
            Path = "/",
            MaxAge = Lifetime,
        });
    }

    /// <summary>The account this browser signed out of in the last ten minutes, or null.</summary>
    public string? Read(HttpContext context)
    {
        if (context.Items.TryGetValue(CookieName, out var issued) && issued is string accountId)
        {
            return accountId;
        }

        if (context.Request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return null;
        }

        try
        {
            var parts = _protector.Unprotect(cookie).Split('|', 2);
            var until = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], CultureInfo.InvariantCulture));
            return parts.Length == 2 && until > time.GetUtcNow() ? parts[1] : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException or OverflowException)
        {
            return null;
        }
    }

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
}
