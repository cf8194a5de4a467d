namespace CreatorKeys.Core.Rotation;

/// <summary>
/// Replacing one key with a new one in the only safe order: add the new key, update and test
/// every workflow that used the old one, and only then retire the old key. Saved after every
/// step, so it can be resumed at any point, even after a restart.
/// </summary>
public sealed class KeyRotation
{
    public const int MaxNoteLength = 500;

    public Guid Id { get; set; }

    public string AccountId { get; set; } = "";

    /// <summary>The key slot (the line of versions) being rotated.</summary>
    public Guid SlotId { get; set; }

    public Guid OldKeyId { get; set; }

    /// <summary>The pending key pasted in step 1; null before that.</summary>
    public Guid? NewKeyId { get; set; }

    public RotationReason Reason { get; set; }

    /// <summary>A suspected leak: shown first and allowed to retire the old key before every workflow is tested.</summary>
    public bool Urgent { get; set; }

    public string? Note { get; set; }

    public RotationStep Step { get; set; }

    /// <summary>True until completed or cancelled; at most one active rotation per key (a unique index says so).</summary>
    public bool IsActive { get; set; }

    /// <summary>True when the old key was retired before every workflow was tested (emergency override).</summary>
    public bool OverrideUsed { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? OldKeyRetiredAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public DateTimeOffset? CancelledAt { get; set; }

    /// <summary>
    /// Written just BEFORE the new key is created through the provider's API: if the app stops before the value is
    /// stored, the resumed rotation knows a key may exist at the provider that the vault never received.
    /// </summary>
    public DateTimeOffset? ProviderCreateStartedAt { get; set; }

    /// <summary>The name the key was created under at the provider (the dated label), for the orphan message.</summary>
    public string? ProviderCreateName { get; set; }

    /// <summary>The provider's id of the key just created, written the moment the create call returns (never the value).</summary>
    public string? ProviderCreatedKeyId { get; set; }

    /// <summary>OpenAI: the project the key was created in.</summary>
    public string? ProviderCreatedProjectId { get; set; }

    /// <summary>True when a key was (or may have been) created at the provider but its value never reached the vault.</summary>
    public bool HasOrphanAtProvider => ProviderCreateStartedAt is not null && Step == RotationStep.NewKey;

    public List<RotationTask> Tasks { get; set; } = [];
}

/// <summary>One workflow to move to the new key: first updated, then tested.</summary>
public sealed class RotationTask
{
    public Guid Id { get; set; }

    public Guid RotationId { get; set; }

    public Guid WorkflowId { get; set; }

    public string WorkflowName { get; set; } = "";

    public string VariableName { get; set; } = "";

    public DateTimeOffset? UpdatedAt { get; set; }

    public DateTimeOffset? TestedAt { get; set; }

    public bool IsUpdated => UpdatedAt is not null;

    public bool IsTested => TestedAt is not null;
}

public enum RotationReason
{
    Scheduled,
    TestCycleFinished,
    SuspectedLeak,
    Other,
}

public enum RotationStep
{
    /// <summary>Step 1: create the new key at the provider and paste it.</summary>
    NewKey,

    /// <summary>Step 2: update each workflow to the new key, then test it.</summary>
    UpdateWorkflows,

    /// <summary>Step 3: retire the old key.</summary>
    RetireOld,

    /// <summary>Step 4: delete the old key at the provider, then finish.</summary>
    DeleteAtProvider,

    Completed,
    Cancelled,
}

public static class RotationText
{
    public static string Describe(this RotationReason reason) => reason switch
    {
        RotationReason.Scheduled => "Scheduled replacement",
        RotationReason.TestCycleFinished => "Test cycle finished",
        RotationReason.SuspectedLeak => "Suspected leak (urgent)",
        _ => "Other reason",
    };
}
