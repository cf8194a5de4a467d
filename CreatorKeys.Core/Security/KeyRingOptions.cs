using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Security;

/// <summary>
/// Protection of the DataProtection key ring (which encrypts sign-in cookies and server
/// secrets such as the SMTP password). Section <c>CreatorKeys:DataProtection</c>.
/// </summary>
public sealed class KeyRingOptions : IValidatableObject
{
    public const string Section = "CreatorKeys:DataProtection";

    /// <summary>Path to a .pfx certificate whose key encrypts the key ring at rest. Empty: not encrypted (a warning is shown).</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the .pfx file, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasCertificate && !File.Exists(CertificatePath))
        {
            yield return new ValidationResult(
                $"CreatorKeys:DataProtection:CertificatePath points to '{CertificatePath}', which does not exist.",
                [nameof(CertificatePath)]);
        }
    }
}
