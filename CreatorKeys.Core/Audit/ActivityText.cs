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
        ActivityAction.WorkflowAdded => "Recorded a workflow",
        ActivityAction.WorkflowChanged => "Changed a workflow",
        ActivityAction.WorkflowRemoved => "Removed a workflow",
        ActivityAction.KeyMarkedCompromised => "Marked a key as compromised",
        ActivityAction.RotationStarted => "Started a rotation",
        ActivityAction.RotationNewKeyAdded => "Added the new key of a rotation",
        ActivityAction.RotationWorkflowUpdated => "Updated a workflow to the new key",
        ActivityAction.RotationWorkflowTested => "Tested a workflow with the new key",
        ActivityAction.RotationOverrideUsed => "Retired a key before every workflow was tested (emergency)",
        ActivityAction.RotationOldKeyRetired => "Retired the old key of a rotation",
        ActivityAction.RotationCompleted => "Finished a rotation",
        ActivityAction.RotationCancelled => "Cancelled a rotation",
        ActivityAction.LeakCheckRun => "Checked some text for leaked keys",
        ActivityAction.RotationPolicyChanged => "Changed a key's replacement schedule",
        ActivityAction.TestCycleFinished => "Finished a test cycle (its keys are due now)",
        ActivityAction.RemindersChecked => "Checked for keys due for replacement",
        ActivityAction.MailSettingsChanged => "Changed the email settings",
        ActivityAction.TestEmailSent => "Sent a test email",
        ActivityAction.ReportExported => "Downloaded the key inventory",
        _ => action.ToString(),
    };
}
