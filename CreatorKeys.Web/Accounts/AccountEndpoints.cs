using System.Security.Claims;
using System.Text;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Components.Pages.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Web.Accounts;

internal static class AccountEndpoints
{
    public const string SignOutEverywherePath = "/account/sign-out-everywhere";

    /// <summary>
    /// Sign-out locks the vault (its key is wiped from memory) and clears the cookie; the emergency kit downloads
    /// as a file.
    /// </summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/sign-out", async Task<IResult> (
            HttpContext context,
            ClaimsPrincipal user,
            IAntiforgery antiforgery,
            SignInManager<Account> signInManager,
            VaultSessionStore sessions,
            ActivityService activity,
            SignedOutProof signedOut) =>
        {
            // Only the app's own sign-out button may sign a creator out (no cross-site form posts).
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest();
            }

            var accountId = user.FindFirstValue(ClaimTypes.NameIdentifier);
            if (user.FindFirstValue(VaultClaims.SessionId) is { } sessionId)
            {
                sessions.Lock(sessionId, VaultLockReason.SignedOut);
            }

            await signInManager.SignOutAsync();
            if (accountId is not null)
            {
                await activity.RecordAsync(accountId, ActivityAction.SignedOut, context.Origin());
                // Lets the sign-in page offer "Sign out everywhere" for a few minutes.
                signedOut.Issue(context, accountId);
            }

            return TypedResults.LocalRedirect($"~/account/sign-in?reason={SignInNotice.Code(VaultLockReason.SignedOut)}");
        });

        // Ends every vault session of the account (their keys wiped at once) and changes its security
        // stamp, so every sign-in cookie it ever issued is refused. From Settings while signed in, or from
        // the sign-in page just after signing out (SignedOutProof).
        endpoints.MapPost(SignOutEverywherePath, async Task<IResult> (
            HttpContext context,
            ClaimsPrincipal user,
            IAntiforgery antiforgery,
            SignInManager<Account> signInManager,
            VaultSessionStore sessions,
            ActivityService activity,
            SignedOutProof signedOut) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return TypedResults.BadRequest();
            }

            var signedIn = user.Identity?.IsAuthenticated == true;
            var accountId = signedIn ? user.FindFirstValue(ClaimTypes.NameIdentifier) : signedOut.Read(context);
            var account = accountId is null ? null : await signInManager.UserManager.FindByIdAsync(accountId);
            if (account is null)
            {
                return TypedResults.LocalRedirect("~/account/sign-in");
            }

            sessions.LockAccount(account.Id, VaultLockReason.SignedOutEverywhere);
            await signInManager.UserManager.UpdateSecurityStampAsync(account);
            if (signedIn)
            {
                await signInManager.SignOutAsync();
            }

            SignedOutProof.Clear(context);
            await activity.RecordAsync(account.Id, ActivityAction.SignedOut, context.Origin(), targetName: "Signed out everywhere");
            return TypedResults.LocalRedirect($"~/account/sign-in?reason={SignInNotice.Code(VaultLockReason.SignedOutEverywhere)}");
        });

        endpoints.MapGet("/" + EmergencyKitDownloadPath, DownloadEmergencyKit).RequireAuthorization();

        return endpoints;
    }

    /// <summary>Where the emergency kit page's "Download the kit" link points.</summary>
    public const string EmergencyKitDownloadPath = "account/emergency-kit/download";

    /// <summary>
    /// The emergency kit as a text file: a plain link, so it downloads while the page is not yet live (decision 009).
    /// It holds the recovery code only while that code is waiting to be saved, only for the session it was issued to
    /// (the signed-in account's own, named in its cookie), and never from a cache; once the creator confirms the kit,
    /// the code is gone from memory and this answers "not found".
    /// </summary>
    private static IResult DownloadEmergencyKit(HttpContext context, ClaimsPrincipal user, VaultSessionStore sessions, TimeProvider time)
    {
        var session = CurrentVault.Of(user, sessions);
        var code = session is { EmergencyKitPending: true } ? session.PendingRecoveryCode : null;
        context.Response.Headers.CacheControl = "no-store";
        if (code is null)
        {
            return TypedResults.NotFound();
        }

        context.Response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
        var appAddress = UriHelper.BuildAbsolute(context.Request.Scheme, context.Request.Host, context.Request.PathBase, "/");
        var text = EmergencyKitText.Compose(user.Identity?.Name ?? "", code, appAddress, time.GetUtcNow());
        return TypedResults.File(Encoding.UTF8.GetBytes(text), "text/plain; charset=utf-8", EmergencyKitText.FileName);
    }

    public static RequestOrigin Origin(this HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
}
