namespace CreatorKeys.Core.Vault;

/// <summary>
/// A stored value or wrapped key could not be decrypted: it was altered, moved to another
/// row or environment, or the key used to open it is wrong. The message is safe to show;
/// it never contains key material or values.
/// </summary>
public sealed class VaultCryptoException : Exception
{
    public VaultCryptoException(string message)
        : base(message)
    {
    }

    public VaultCryptoException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public VaultCryptoException()
    {
    }
}
