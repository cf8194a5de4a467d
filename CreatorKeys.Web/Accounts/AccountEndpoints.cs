using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Web.Accounts;

internal static class AccountEndpoints
{
    /// <summary>Sign-out locks the vault (its key is wiped from memory) and clears the cookie.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/account/sign-out", async Task<IResult> (
            HttpContext context,
            ClaimsPrincipal user,
            IAntiforgery antiforgery,
            SignInManager<Account> signInManager,
            VaultSessionStore sessions,
            ActivityService activity) =>
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
            }

            return TypedResults.LocalRedirect($"~/account/sign-in?reason={SignInNotice.Code(VaultLockReason.SignedOut)}");
        });

        return endpoints;
    }

    public static RequestOrigin Origin(this HttpContext context) =>
        new(context.Connection.RemoteIpAddress?.ToString(), context.Request.Headers.UserAgent.ToString());
}
