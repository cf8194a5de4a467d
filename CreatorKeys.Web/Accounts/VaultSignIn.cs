using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Web.Accounts;

/// <summary>Keeps an unlocked vault in server memory and issues the sign-in cookie that points to it.</summary>
public sealed class VaultSignIn(SignInManager<Account> signInManager, VaultSessionStore sessions)
{
    public async Task<VaultSession> SignInAsync(Account account, UnlockedVault vault, string? newRecoveryCode = null)
    {
        var session = sessions.Open(vault, emergencyKitPending: newRecoveryCode is not null || account.Vault.EmergencyKitSavedAt is null, newRecoveryCode);
        try
        {
            await signInManager.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(VaultClaims.SessionId, session.Id)]);
            return session;
        }
        catch
        {
            sessions.Lock(session.Id, VaultLockReason.SignedOut);
            throw;
        }
    }

    /// <summary>
    /// After a right password on an account with two-step sign-in: holds the unlocked vault in
    /// memory and gives the browser Identity's short-lived two-step cookie naming it.
    /// </summary>
    public async Task BeginSecondStepAsync(Account account, UnlockedVault vault)
    {
        var heldId = sessions.Hold(vault);
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, account.Id));
        identity.AddClaim(new Claim(VaultClaims.HeldVault, heldId));
        await signInManager.Context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The account and held vault id of a sign-in waiting for its second step, or null.</summary>
    public async Task<(string AccountId, string HeldId)?> FindSecondStepAsync()
    {
        var result = await signInManager.Context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
        var accountId = result.Principal?.FindFirstValue(ClaimTypes.Name);
        var heldId = result.Principal?.FindFirstValue(VaultClaims.HeldVault);
        return accountId is null || heldId is null ? null : (accountId, heldId);
    }

    /// <summary>Ends a second step: wipes the held vault (if still there) and deletes the two-step cookie.</summary>
    public async Task EndSecondStepAsync(string? heldId)
    {
        sessions.DropHeld(heldId);
        await signInManager.Context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
    }

    /// <summary>Re-issues the cookie after a password change (new security stamp), keeping the same vault session.</summary>
    public async Task RefreshAsync(Account account, string sessionId) =>
        await signInManager.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(VaultClaims.SessionId, sessionId)]);
}
