namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Which providers have a management or admin key that can create and delete keys through their API, and the
/// words for it. A management key is stored like any key but kept in PROD, never given to a workflow or a program,
/// and used only for those calls (decision 018).
/// </summary>
public static class ManagementKeys
{
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openrouter"] = "management (provisioning) key",
        ["openai"] = "admin key",
        ["anthropic"] = "admin key",
        ["elevenlabs"] = "workspace admin key",
    };

    /// <summary>Whether <paramref name="providerId"/> has a management or admin key CreatorKeys knows.</summary>
    public static bool Supports(string? providerId) => providerId is not null && Kinds.ContainsKey(providerId);

    /// <summary>"management (provisioning) key", "admin key" …</summary>
    public static string KindOf(string? providerId) => providerId is not null && Kinds.TryGetValue(providerId, out var kind) ? kind : "management key";

    /// <summary>The choice's label on Add a key and the key's page.</summary>
    public const string ChoiceLabel = "This is a management key (used only to create and delete keys for you)";

    /// <summary>Why a management key must sit in PROD.</summary>
    public const string ProdOnly = "A management key can create and delete your keys, so it is kept in PROD only (the best-guarded folder). Choose PROD, or untick “management key”.";

    /// <summary>Why a management key cannot be given to a workflow.</summary>
    public const string NotForWorkflows = "That is a management key: it is used only to create and delete keys for you, never by a workflow. Choose the workflow's own key.";
}
