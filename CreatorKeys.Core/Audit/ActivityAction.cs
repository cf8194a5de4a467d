namespace CreatorKeys.Core.Audit;

/// <summary>What happened. Stored by name, so new actions can be added without renumbering.</summary>
public enum ActivityAction
{
    SignedUp,
    SignedIn,
    SignInFailed,
    SignedOut,
    VaultLocked,
    PasswordChanged,
    PasswordResetWithRecoveryCode,
    RecoveryCodeIssued,
    EmergencyKitSaved,
    KeyAdded,
    KeyRevealed,
    KeyCopied,
    KeyDeleted,
    KeyEdited,
    KeyRetired,
    ProviderAdded,
    KeysImported,
    SetupChanged,
}
