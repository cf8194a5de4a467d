using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
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

    /// <summary>Re-issues the cookie after a password change (new security stamp), keeping the same vault session.</summary>
    public async Task RefreshAsync(Account account, string sessionId) =>
        await signInManager.SignInWithClaimsAsync(account, isPersistent: false, [new Claim(VaultClaims.SessionId, sessionId)]);
}
