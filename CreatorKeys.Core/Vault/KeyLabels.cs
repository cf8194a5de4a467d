using System.Globalization;

namespace CreatorKeys.Core.Vault;

/// <summary>The naming convention for keys, the same at the provider and in the vault.</summary>
public static class KeyLabels
{
    /// <summary>E.g. <c>PROD — OpenAI — Created 2026-11-23</c>.</summary>
    public static string Suggest(VaultEnvironment environment, string providerName, DateTimeOffset createdOn) =>
        $"{environment.Code()} — {providerName.Trim()} — Created {createdOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
