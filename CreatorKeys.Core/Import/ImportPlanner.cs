using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Import;

/// <summary>Turns parsed .env entries into import candidates with best guesses.</summary>
public static class ImportPlanner
{
    private static readonly Dictionary<string, VaultEnvironment> EnvironmentWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DEV"] = VaultEnvironment.Dev,
        ["DEVELOPMENT"] = VaultEnvironment.Dev,
        ["TEST"] = VaultEnvironment.Dev,
        ["TESTING"] = VaultEnvironment.Dev,
        ["SANDBOX"] = VaultEnvironment.Dev,
        ["LOCAL"] = VaultEnvironment.Dev,
        ["STAGING"] = VaultEnvironment.Staging,
        ["STAGE"] = VaultEnvironment.Staging,
        ["PREPROD"] = VaultEnvironment.Staging,
        ["UAT"] = VaultEnvironment.Staging,
        ["QA"] = VaultEnvironment.Staging,
        ["PROD"] = VaultEnvironment.Prod,
        ["PRODUCTION"] = VaultEnvironment.Prod,
        ["LIVE"] = VaultEnvironment.Prod,
    };

    public static IReadOnlyList<ImportCandidate> Plan(
        DotEnvDocument document,
        IReadOnlyList<ProviderInfo> providers,
        VaultEnvironment defaultEnvironment,
        DateTimeOffset now)
    {
        var candidates = new List<ImportCandidate>();
        var seenValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in document.Entries)
        {
            var value = KeyValueText.Clean(entry.Value);
            var provider = ProviderFromName(entry.Name, providers) ?? KeyShapes.Detect(value, providers);
            var environment = EnvironmentFromName(entry.Name);
            var candidate = new ImportCandidate
            {
                Line = entry.Line,
                VariableName = entry.Name,
                Value = value,
                Hint = KeyHint.For(value),
                Provider = provider,
                ProviderName = provider?.Name ?? entry.Name,
                Environment = environment ?? defaultEnvironment,
                EnvironmentFromName = environment is not null,
                Include = true,
            };
            candidate.Label = KeyLabels.SuggestImported(candidate.Environment, candidate.ProviderName, now);

            if (value.Length == 0)
            {
                Exclude(candidate, "Empty: there is no value to store.");
            }
            else if (!LooksLikeASecret(value))
            {
                Exclude(candidate, "Does not look like a key (too short, a number, a yes/no or an address). Tick it if it is one.");
            }
            else if (seenValues.TryGetValue(value, out var firstName))
            {
                Exclude(candidate, $"The same key as {firstName} above. One key in two places means one leak exposes both: create a separate key at the provider.");
            }
            else if (provider is not null && KeyShapes.MismatchWarning(value, provider, providers) is { } warning)
            {
                candidate.Note = warning;
            }

            if (value.Length > 0)
            {
                seenValues.TryAdd(value, entry.Name);
            }

            candidates.Add(candidate);
        }

        return candidates;
    }

    /// <summary>The provider whose variable-name words appear in <paramref name="name"/>, e.g. OPENAI in OPENAI_API_KEY_PROD.</summary>
    public static ProviderInfo? ProviderFromName(string name, IEnumerable<ProviderInfo> providers)
    {
        var parts = Parts(name);
        return providers
            .SelectMany(p => p.VariableNames.Select(word => (Provider: p, Word: word.Split('_'))))
            .Where(x => ContainsRun(parts, x.Word))
            .OrderByDescending(x => x.Word.Sum(w => w.Length))
            .Select(x => x.Provider)
            .FirstOrDefault();
    }

    /// <summary>The environment named in a variable (<c>_DEV</c>, <c>_STAGING</c>, <c>_PROD</c>, <c>_TEST</c>, <c>_LIVE</c> …), or null.</summary>
    public static VaultEnvironment? EnvironmentFromName(string name) =>
        Parts(name).Select(p => EnvironmentWords.TryGetValue(p, out var e) ? e : (VaultEnvironment?)null).LastOrDefault(e => e is not null);

    private static string[] Parts(string name) =>
        name.ToUpperInvariant().Split(['_', '-', '.'], StringSplitOptions.RemoveEmptyEntries);

    private static bool ContainsRun(string[] parts, string[] run)
    {
        for (var i = 0; i + run.Length <= parts.Length; i++)
        {
            if (run.Select((w, j) => parts[i + j] == w).All(x => x))
            {
                return true;
            }
        }

        return false;
    }

    private static bool LooksLikeASecret(string value) =>
        value.Length >= 16
        && !value.Contains("://", StringComparison.Ordinal)
        && !decimal.TryParse(value, System.Globalization.NumberStyles.Any, System.Globalization.CultureInfo.InvariantCulture, out _)
        && !bool.TryParse(value, out _);

    private static void Exclude(ImportCandidate candidate, string note)
    {
        candidate.Include = false;
        candidate.Note = note;
    }
}
