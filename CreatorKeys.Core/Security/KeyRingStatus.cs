namespace CreatorKeys.Core.Security;

/// <summary>Whether the DataProtection key ring is encrypted at rest, for the log and the settings page.</summary>
public sealed record KeyRingStatus(string KeyRingPath, bool EncryptedAtRest, string? CertificateSubject)
{
    public const string UnencryptedWarning =
        "The sign-in key ring in the data folder is not encrypted at rest. Anyone who copies the data folder could forge " +
        "a sign-in cookie (your vault itself stays locked: it needs your password). Set CreatorKeys:DataProtection:CertificatePath " +
        "to a .pfx certificate to encrypt it.";

    public string? Warning => EncryptedAtRest ? null : UnencryptedWarning;
}
