namespace CreatorKeys.Core.Vault;

/// <summary>
/// What the access-token API hands out for an environment: the real keys (Live) or clearly fake values (Mock), so a
/// test run never reaches a paid API. PROD is always Live.
/// </summary>
public enum EnvironmentMode
{
    Live = 0,
    Mock = 1,
}

/// <summary>An account's chosen mode for one environment; no row means Live.</summary>
public sealed class EnvironmentSetting
{
    public string AccountId { get; set; } = "";

    public VaultEnvironment Environment { get; set; }

    public EnvironmentMode Mode { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public static class EnvironmentModes
{
    /// <summary>Why PROD cannot be Mock, in plain words.</summary>
    public const string ProdMustBeLiveMessage =
        "PROD is always Live: your live workflows need the real keys, and a fake key there would quietly break them. Use Mock in DEV or STAGING.";

    /// <summary>The fake value served in Mock mode: <c>mock-openai-key-dev</c>.</summary>
    public static string MockValue(string? providerId, string providerName, VaultEnvironment environment)
    {
        var slug = providerId ?? ExportNames.FromText(providerName).Replace("_API_KEY", "", StringComparison.Ordinal).Replace('_', '-').ToLowerInvariant();
        return $"mock-{slug}-key-{environment.Code().ToLowerInvariant()}";
    }
}
