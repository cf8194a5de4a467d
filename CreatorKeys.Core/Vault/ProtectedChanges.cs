namespace CreatorKeys.Core.Vault;

/// <summary>What is about to happen to a key, for <see cref="ProtectedChanges"/>.</summary>
public enum KeyChangeKind
{
    /// <summary>Its name, its cap or the "set at the provider" tick changes.</summary>
    Edit,
    Retire,
    Delete,
}

/// <summary>A change to one key: for an edit, the cap it will have afterwards and whether a recorded workflow uses the key.</summary>
public readonly record struct KeyChange(KeyChangeKind Kind, decimal? NewCap = null, bool UsedByWorkflow = false)
{
    public static KeyChange Retire { get; } = new(KeyChangeKind.Retire);

    public static KeyChange Delete { get; } = new(KeyChangeKind.Delete);

    /// <summary>An edit that leaves the key with <paramref name="newCap"/> (its current cap when only the name changes).</summary>
    public static KeyChange Edit(decimal? newCap, bool usedByWorkflow) => new(KeyChangeKind.Edit, newCap, usedByWorkflow);
}

/// <summary>
/// The one rule for when a change to a key is protected: the creator types the environment's name
/// (PROD) before it goes through. The protection is there to stop a slip that breaks something live,
/// so it asks only when the change can do that: the key is retired or deleted, its cap is lowered or
/// removed, or a workflow uses it and it gets a cap where it had none (the new cap can stop that
/// workflow once reached). Setting the first caps of keys nothing uses yet, raising a cap, renaming
/// a key or ticking "I set this cap at the provider" goes through without typing: asking for every
/// PROD change teaches people to type PROD without reading the question.
/// </summary>
public static class ProtectedChanges
{
    /// <summary>True when the creator must type the environment's name before <paramref name="change"/> is made.</summary>
    public static bool NeedsTyping(KeySummary key, KeyChange change) => Reason(key, change) is not null;

    /// <summary>The word to type (<c>PROD</c>) for a protected change, or null when a plain confirmation (or none) will do.</summary>
    public static string? WordToType(KeySummary key, KeyChange change) =>
        NeedsTyping(key, change) ? key.Environment.Code() : null;

    /// <summary>
    /// The word to type before something is done to a whole environment at once (downloading its values as a .env
    /// file): <c>PROD</c> for PROD, null for the test folders.
    /// </summary>
    public static string? WordToType(VaultEnvironment environment) =>
        environment == VaultEnvironment.Prod ? environment.Code() : null;

    /// <summary>Why the change is protected, in plain words; null when it is not.</summary>
    public static string? Reason(KeySummary key, KeyChange change)
    {
        if (key.Environment != VaultEnvironment.Prod)
        {
            return null;
        }

        var oldCap = key.MonthlyCapUsd;
        return change.Kind switch
        {
            KeyChangeKind.Retire => "Retiring it means it should no longer be used, live or anywhere else.",
            KeyChangeKind.Delete => "Deleting it removes the value from your vault for good.",
            KeyChangeKind.Edit when change.NewCap == oldCap => null,
            KeyChangeKind.Edit when change.NewCap is null => "Removing its cap lets a leaked or runaway key spend without limit.",
            KeyChangeKind.Edit when oldCap is { } old && change.NewCap < old => "A lower cap can stop your live work sooner.",
            KeyChangeKind.Edit when oldCap is null && change.UsedByWorkflow => "A workflow uses it, and the new cap can stop that workflow once it is reached.",
            _ => null,
        };
    }
}
