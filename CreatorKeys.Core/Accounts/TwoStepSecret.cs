namespace CreatorKeys.Core.Accounts;

/// <summary>
/// An account's authenticator key, sealed under a key derived from its vault key (never readable
/// from the database alone), and the last 30-second step a code was accepted for.
/// </summary>
/// <remarks>A row without <see cref="Account.TwoFactorEnabled"/> is a set-up in progress.</remarks>
public sealed class TwoStepSecret
{
    public string AccountId { get; set; } = "";

    /// <summary><see cref="Vault.UnlockedVault.SealAuthenticatorKey"/> of the 20 random bytes the authenticator app shares.</summary>
    public byte[] SealedAuthenticatorKey { get; set; } = [];

    /// <summary>The newest TOTP step accepted; a code from it or an earlier step is refused (no replay).</summary>
    public long LastUsedStep { get; set; }
}

/// <summary>One unused two-step recovery code, kept only as a salted HMAC-SHA256; deleted when used.</summary>
public sealed class TwoStepRecoveryCode
{
    public long Id { get; set; }

    public string AccountId { get; set; } = "";

    public byte[] Salt { get; set; } = [];

    public byte[] Hash { get; set; } = [];
}
