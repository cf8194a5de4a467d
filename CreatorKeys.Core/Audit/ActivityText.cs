namespace CreatorKeys.Core.Audit;

/// <summary>Plain words for each activity.</summary>
public static class ActivityText
{
    public static string Describe(ActivityAction action) => action switch
    {
        ActivityAction.SignedUp => "Created the account and vault",
        ActivityAction.SignedIn => "Signed in (vault unlocked)",
        ActivityAction.SignInFailed => "Sign-in failed",
        ActivityAction.SignedOut => "Signed out (vault locked)",
        ActivityAction.VaultLocked => "Vault locked itself",
        ActivityAction.PasswordChanged => "Changed the password",
        ActivityAction.PasswordResetWithRecoveryCode => "Reset the password with the recovery code",
        ActivityAction.RecoveryCodeIssued => "Created a new recovery code",
        ActivityAction.EmergencyKitSaved => "Confirmed saving the emergency kit",
        ActivityAction.KeyAdded => "Added a key",
        ActivityAction.KeyRevealed => "Revealed a key",
        ActivityAction.KeyCopied => "Copied a key",
        ActivityAction.KeyDeleted => "Deleted a key",
        ActivityAction.KeyEdited => "Changed a key's name or cap",
        ActivityAction.KeyRetired => "Retired a key",
        ActivityAction.ProviderAdded => "Added a service of your own",
        ActivityAction.KeysImported => "Imported keys from a .env file",
        ActivityAction.SetupChanged => "Changed the guided setup",
        _ => action.ToString(),
    };
}
