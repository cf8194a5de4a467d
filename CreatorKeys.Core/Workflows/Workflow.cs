using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Workflows;

/// <summary>One of the creator's automations, and the keys it uses.</summary>
public sealed class Workflow
{
    public const int MaxNameLength = 100;
    public const int MaxLocationLength = 500;
    public const int MaxNotesLength = 2000;

    public Guid Id { get; set; }

    public string AccountId { get; set; } = "";

    public string Name { get; set; } = "";

    public WorkflowPlatform Platform { get; set; }

    public VaultEnvironment Environment { get; set; }

    /// <summary>Where the workflow lives: the scenario's address, a folder, a server name.</summary>
    public string? Location { get; set; }

    public string? Notes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<WorkflowKeyUse> KeyUses { get; set; } = [];
}

/// <summary>A workflow uses a key under a variable or connection name.</summary>
public sealed class WorkflowKeyUse
{
    public const int MaxVariableLength = 100;

    public Guid Id { get; set; }

    public Guid WorkflowId { get; set; }

    public Guid KeyId { get; set; }

    /// <summary>The environment variable or connection name the key sits under, e.g. <c>OPENAI_KEY_PROD</c>.</summary>
    public string VariableName { get; set; } = "";
}

public enum WorkflowPlatform
{
    Make,
    Zapier,
    N8n,
    CustomGpt,
    Script,
    Other,
}

public static class WorkflowPlatforms
{
    public static IReadOnlyList<WorkflowPlatform> All { get; } = Enum.GetValues<WorkflowPlatform>();

    public static string DisplayName(this WorkflowPlatform platform) => platform switch
    {
        WorkflowPlatform.Make => "Make scenario",
        WorkflowPlatform.Zapier => "Zapier zap",
        WorkflowPlatform.N8n => "n8n workflow",
        WorkflowPlatform.CustomGpt => "Custom GPT",
        WorkflowPlatform.Script => "Script or app",
        _ => "Other",
    };
}
