using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Vault;

/// <summary>How the unlocked vault behaves. Section <c>CreatorKeys:Vault</c>.</summary>
public sealed class VaultOptions
{
    public const string Section = "CreatorKeys:Vault";

    /// <summary>Minutes without activity before the vault locks itself and the creator must sign in again.</summary>
    [Range(1, 1440)]
    public int AutoLockMinutes { get; set; } = 15;

    /// <summary>Seconds a revealed key stays visible before it is masked again.</summary>
    [Range(5, 600)]
    public int RevealSeconds { get; set; } = 30;

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new password and recovery-code wraps; never below 600,000.</summary>
    [Range(VaultCrypto.MinimumIterations, 10_000_000)]
    public int KeyDerivationIterations { get; set; } = VaultCrypto.MinimumIterations;

    /// <summary>Hours a signed-in session may last at most, however active, before the creator signs in again.</summary>
    [Range(1, 168)]
    public int MaxSessionHours { get; set; } = 12;

    public TimeSpan AutoLockAfter => TimeSpan.FromMinutes(AutoLockMinutes);

    public TimeSpan MaxSessionLifetime => TimeSpan.FromHours(MaxSessionHours);

    public TimeSpan RevealFor => TimeSpan.FromSeconds(RevealSeconds);
}
