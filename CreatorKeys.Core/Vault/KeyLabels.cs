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

    /// <summary>
    /// <paramref name="suggested"/>, or, when a key of the same environment and service already has that name, the
    /// same name with a counter (<c>PROD — OpenAI — Created 2026-12-07 (2)</c>): after a same-day replacement the old
    /// and the new key must not look the same, at the provider or here.
    /// </summary>
    public static string Distinct(string suggested, IEnumerable<string> taken)
    {
        var used = taken.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        if (!used.Contains(Normalize(suggested)))
        {
            return suggested;
        }

        for (var counter = 2; ; counter++)
        {
            var candidate = $"{suggested} ({counter.ToString(CultureInfo.InvariantCulture)})";
            if (!used.Contains(Normalize(candidate)))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// How a key reads in a list to choose from: its name, its environment in front only when the name does not say it
    /// (never "PROD · PROD — OpenAI …"), and the end of the key the provider shows, which tells same-named keys apart:
    /// <c>PROD — OpenAI — Created 2026-12-07 · ends z59H</c>.
    /// </summary>
    public static string ForPicker(KeySummary key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var name = LabelRules.NamesEnvironment(key.Label, key.Environment) ? key.Label : $"{key.Environment.Code()} · {key.Label}";
        return KeyHint.Ending(key.Hint) is { } ending ? $"{name} · ends {ending}" : name;
    }

    /// <summary>True when two names read the same to a person: case and spacing do not tell keys apart.</summary>
    public static bool Same(string? a, string? b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);

    /// <summary>A name with its spacing collapsed and its case folded, for comparing names.</summary>
    public static string Normalize(string? label) =>
        string.Join(' ', (label ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
