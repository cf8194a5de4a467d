namespace CreatorKeys.Core.Vault;

/// <summary>The vault is locked (signed out, idle too long, or the app restarted): sign in again to unlock it.</summary>
public sealed class VaultLockedException : Exception
{
    public VaultLockedException()
        : base("Your vault is locked. Sign in again to unlock it.")
    {
    }

    public VaultLockedException(string message)
        : base(message)
    {
    }

    public VaultLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
