namespace CreatorKeys.Core.Data;

/// <summary>
/// Facts about the install itself, not about any account: one row (<see cref="SingleId"/>). Today it says in which
/// time zone every key's due date was last computed, so a start on an unchanged install skips reading every key.
/// </summary>
public sealed class InstallState
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    /// <summary>The time zone (and due-date rules version) every stored due date was computed in; null before the first start that wrote it.</summary>
    public string? DueDatesComputedIn { get; set; }
}
