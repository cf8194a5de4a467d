namespace CreatorKeys.Core.Accounts;

/// <summary>
/// The two wrapped copies of an account's vault key (stored in the account row, so
/// sign-up and password changes write them in the same transaction as the password hash).
/// </summary>
public sealed class VaultKeyWrap
{
    public byte[] PasswordSalt { get; set; } = [];

    public int PasswordIterations { get; set; }

    /// <summary>The vault key sealed with PBKDF2(password).</summary>
    public byte[] PasswordWrappedKey { get; set; } = [];

    public byte[] RecoverySalt { get; set; } = [];

    public int RecoveryIterations { get; set; }

    /// <summary>The vault key sealed with PBKDF2(recovery code).</summary>
    public byte[] RecoveryWrappedKey { get; set; } = [];

    public DateTimeOffset RecoveryCodeIssuedAt { get; set; }

    /// <summary>When the creator confirmed saving the emergency kit for the current recovery code; null until then.</summary>
    public DateTimeOffset? EmergencyKitSavedAt { get; set; }

    public VaultKeyWrap Clone()
    {
        var copy = new VaultKeyWrap();
        CopyTo(copy);
        return copy;
    }

    /// <summary>Overwrites every field of <paramref name="target"/> (an entity EF Core tracks) with this one's.</summary>
    public void CopyTo(VaultKeyWrap target)
    {
        target.PasswordSalt = PasswordSalt;
        target.PasswordIterations = PasswordIterations;
        target.PasswordWrappedKey = PasswordWrappedKey;
        target.RecoverySalt = RecoverySalt;
        target.RecoveryIterations = RecoveryIterations;
        target.RecoveryWrappedKey = RecoveryWrappedKey;
        target.RecoveryCodeIssuedAt = RecoveryCodeIssuedAt;
        target.EmergencyKitSavedAt = EmergencyKitSavedAt;
    }
}
