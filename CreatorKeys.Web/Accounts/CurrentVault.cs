using System.Security.Claims;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Components.Authorization;

namespace CreatorKeys.Web.Accounts;

/// <summary>The signed-in creator's account id and unlocked vault, for components.</summary>
public sealed class CurrentVault(AuthenticationStateProvider authentication, VaultSessionStore sessions)
{
    /// <summary>The open vault session of the signed-in creator, or null when the vault is locked.</summary>
    public async Task<VaultSession?> FindSessionAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        return Of(user, sessions);
    }

    /// <summary>The open vault session named in <paramref name="user"/>'s sign-in cookie, when it belongs to that account.</summary>
    public static VaultSession? Of(ClaimsPrincipal user, VaultSessionStore sessions)
    {
        var session = sessions.Find(user.FindFirstValue(VaultClaims.SessionId));
        return session is not null && session.AccountId == user.FindFirstValue(ClaimTypes.NameIdentifier) ? session : null;
    }

    /// <summary>The open vault session; throws <see cref="VaultLockedException"/> when locked.</summary>
    public async Task<VaultSession> RequireSessionAsync() => await FindSessionAsync() ?? throw new VaultLockedException();
}
