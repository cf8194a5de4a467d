using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web.Accounts;

/// <summary>
/// Re-checks a connected browser every minute: the account's security stamp must be
/// unchanged and its vault still unlocked, otherwise the page is sent to sign-in.
/// </summary>
internal sealed class VaultRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    VaultSessionStore sessions,
    IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var principal = authenticationState.User;
        var session = sessions.Find(principal.FindFirstValue(VaultClaims.SessionId));
        if (session is null || session.AccountId != principal.FindFirstValue(ClaimTypes.NameIdentifier))
        {
            return false;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await users.GetUserAsync(principal);
        if (account is null)
        {
            return false;
        }

        var principalStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return principalStamp == await users.GetSecurityStampAsync(account);
    }
}
