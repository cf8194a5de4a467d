using System.Security.Claims;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Web.Accounts;

/// <summary>
/// Runs on every request with a sign-in cookie: a cookie is only good while its vault is
/// unlocked in this process. After sign-out, idle auto-lock or a restart the cookie is
/// rejected, so the creator signs in again, which is what unlocks the vault. With several
/// instances, a cookie made by another instance is read here (shared key ring) but its vault is
/// not unlocked here: it is rejected the same way, and the sign-in page says why.
/// </summary>
internal static class VaultCookieValidator
{
    public static async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var store = context.HttpContext.RequestServices.GetRequiredService<VaultSessionStore>();
        var sessionId = context.Principal?.FindFirstValue(VaultClaims.SessionId);

        await SecurityStampValidator.ValidatePrincipalAsync(context);
        if (context.Principal?.Identity?.IsAuthenticated != true)
        {
            // Identity rejected the cookie (the password changed elsewhere): its vault must not stay unlocked.
            if (sessionId is not null)
            {
                store.Lock(sessionId, VaultLockReason.PasswordChanged);
            }

            return;
        }

        var accountId = context.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var session = store.Find(sessionId);
        if (session is not null && session.AccountId == accountId && TryTouch(session))
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        var reason = sessionId is null ? VaultLockReason.Restarted : store.WhyClosed(sessionId);
        // Several instances share one PostgreSQL and one key ring: a vault this instance never saw was most likely
        // unlocked on another one (which restarted, went away, or the proxy moved this browser), and the page says so.
        var elsewhere = reason == VaultLockReason.Restarted && sessionId is not null
            && context.HttpContext.RequestServices.GetRequiredService<CreatorKeys.Core.Data.Database>().IsPostgreSql;
        SignInNotice.Set(context.HttpContext, elsewhere ? SignInNotice.OtherInstanceCode : SignInNotice.Code(reason));
        if (reason == VaultLockReason.SignedOut && accountId is not null)
        {
            // This browser's session was signed out (another tab, or the page moved on before the sign-out
            // response arrived): the sign-in page may offer "Sign out everywhere" here too.
            context.HttpContext.RequestServices.GetRequiredService<SignedOutProof>().Issue(context.HttpContext, accountId);
        }
    }

    /// <summary>Counts the request as activity; false when the session locked in the meantime.</summary>
    private static bool TryTouch(VaultSession session)
    {
        try
        {
            session.Touch();
            return true;
        }
        catch (VaultLockedException)
        {
            return false;
        }
    }

    /// <summary>Keeps the vault-session claim when Identity refreshes the cookie's principal.</summary>
    public static Task KeepVaultSessionClaimAsync(SecurityStampRefreshingPrincipalContext context)
    {
        var sessionClaim = context.CurrentPrincipal?.FindFirst(VaultClaims.SessionId);
        if (sessionClaim is not null && context.NewPrincipal?.Identity is ClaimsIdentity identity && !identity.HasClaim(c => c.Type == VaultClaims.SessionId))
        {
            identity.AddClaim(new Claim(VaultClaims.SessionId, sessionClaim.Value));
        }

        return Task.CompletedTask;
    }
}
