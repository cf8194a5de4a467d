using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace CreatorKeys.Core.Security;

/// <summary>
/// Encrypts server-side secrets at rest (the SMTP password and the like) with ASP.NET Core
/// DataProtection. These are the install's secrets, not a creator's keys: those live in the vault.
/// </summary>
public sealed class ServerSecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("CreatorKeys.ServerSecrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    /// <summary>The secret, or null when it cannot be read (the key ring changed or the text was altered).</summary>
    public string? TryUnprotect(string protectedSecret)
    {
        try
        {
            return _protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
