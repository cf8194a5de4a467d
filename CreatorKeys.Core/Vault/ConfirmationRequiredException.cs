namespace CreatorKeys.Core.Vault;

/// <summary>
/// A sensitive action (a new emergency kit, two-step changes, a backup or restore, the mail server, a PROD
/// reveal or copy) was asked for without a fresh "confirm it's you": type the password again first.
/// </summary>
public sealed class ConfirmationRequiredException : Exception
{
    public ConfirmationRequiredException()
        : base("Confirm it's you first: type your password again. It is asked before changes that could hand over your vault, and lasts 10 minutes.")
    {
    }

    public ConfirmationRequiredException(string message)
        : base(message)
    {
    }

    public ConfirmationRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
