using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Setup;

/// <summary>Where a creator is in the guided setup, saved after every change so it can be resumed.</summary>
public sealed class SetupProgress
{
    public string AccountId { get; set; } = "";

    /// <summary>The step to show when the creator comes back: 0 audit, 1 keys, 2 caps, 3 summary.</summary>
    public int Step { get; set; }

    /// <summary>The providers picked in the audit, in the order they were picked.</summary>
    public List<string> ProviderIds { get; set; } = [];

    /// <summary>Key slots the creator chose to skip for now, as <c>providerId:ENV</c>.</summary>
    public List<string> SkippedSlots { get; set; } = [];

    public DateTimeOffset UpdatedAt { get; set; }

    public static string Slot(string providerId, VaultEnvironment environment) => $"{providerId}:{environment.Code()}";

    public bool IsSkipped(string providerId, VaultEnvironment environment) => SkippedSlots.Contains(Slot(providerId, environment));
}
