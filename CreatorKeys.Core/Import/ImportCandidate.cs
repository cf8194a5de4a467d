using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Import;

/// <summary>
/// One line of a .env file, prepared for the import preview: what CreatorKeys guessed, which
/// the creator may change before anything is stored. <see cref="Value"/> lives only in memory
/// and is never logged or shown (only <see cref="Hint"/> is).
/// </summary>
public sealed class ImportCandidate
{
    public required int Line { get; init; }

    public required string VariableName { get; init; }

    public required string Value { get; init; }

    public required string Hint { get; init; }

    public ProviderInfo? Provider { get; set; }

    /// <summary>The service name to store when no known provider was picked (defaults to the variable's name).</summary>
    public string ProviderName { get; set; } = "";

    public VaultEnvironment Environment { get; set; }

    /// <summary>True when the environment came from the variable's name rather than the default.</summary>
    public bool EnvironmentFromName { get; init; }

    public string Label { get; set; } = "";

    public bool Include { get; set; }

    /// <summary>Why this line is left out by default, or what to check; null when it looks fine.</summary>
    public string? Note { get; set; }
}
