using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Web.Accounts;

internal static class AccountEndpoints
{
    public const string SignOutEverywherePath = "/account/sign-out-everywhere";

    /// <summary>Sign-out locks the vault (its key is wiped from memory) and clears the cookie.</summary>
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

        return endpoints;
    }

    public static RequestOrigin Origin(this HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
}
