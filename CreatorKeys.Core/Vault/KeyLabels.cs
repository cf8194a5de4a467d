using System.Globalization;

namespace CreatorKeys.Core.Vault;

/// <summary>The naming convention for keys, the same at the provider and in the vault.</summary>
public static class KeyLabels
{
    /// <summary>E.g. <c>PROD — OpenAI — Created 2026-11-23</c>.</summary>
    public static string Suggest(VaultEnvironment environment, string providerName, DateTimeOffset createdOn) =>
        $"{environment.Code()} — {providerName.Trim()} — Created {createdOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>For a key whose creation date is unknown: e.g. <c>PROD — OpenAI — Imported 2026-11-27</c>.</summary>
    public static string SuggestImported(VaultEnvironment environment, string providerName, DateTimeOffset importedOn) =>
        $"{environment.Code()} — {providerName.Trim()} — Imported {importedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>Today's date as the app names keys with: the server's local day, the same everywhere.</summary>
    public static DateTimeOffset Today(TimeProvider time) => time.GetLocalNow();
}
