namespace CreatorKeys.Core.Vault;

/// <summary>The three folders of the vault. A creator keeps a separate key per environment.</summary>
public enum VaultEnvironment
{
    Dev = 0,
    Staging = 1,
    Prod = 2,
}

public static class VaultEnvironments
{
    /// <summary>Every environment in the order the UI shows them.</summary>
    public static IReadOnlyList<VaultEnvironment> All { get; } = [VaultEnvironment.Dev, VaultEnvironment.Staging, VaultEnvironment.Prod];

    /// <summary>
    /// The stable name of an environment. It is part of the key derivation and of every
    /// ciphertext's associated data, so it must never change once values are stored.
    /// </summary>
    public static string Code(this VaultEnvironment environment) => environment switch
    {
        VaultEnvironment.Dev => "DEV",
        VaultEnvironment.Staging => "STAGING",
        VaultEnvironment.Prod => "PROD",
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };

    /// <summary>Reads an environment code ("DEV", "staging", " PROD "), as typed in a link or a form; null when it is none.</summary>
    public static VaultEnvironment? ParseCode(string? code) =>
        string.IsNullOrWhiteSpace(code) ? null : All.Cast<VaultEnvironment?>().FirstOrDefault(e => string.Equals(e!.Value.Code(), code.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>One plain sentence that explains the environment to a non-technical creator.</summary>
    public static string Explanation(this VaultEnvironment environment) => environment switch
    {
        VaultEnvironment.Dev => "DEV (development): the key you use while building and experimenting. Give it a small spend cap.",
        VaultEnvironment.Staging => "STAGING: the key for a final test run that looks like the real thing, before it goes live.",
        VaultEnvironment.Prod => "PROD (production): the key your live, public workflows use. Guard it most carefully.",
        _ => throw new ArgumentOutOfRangeException(nameof(environment), environment, "Unknown environment."),
    };
}
