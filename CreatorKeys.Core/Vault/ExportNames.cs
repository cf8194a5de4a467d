using System.Text;
using System.Text.RegularExpressions;
using CreatorKeys.Core.Providers;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Export names: the environment variable name a program reads a key under (<c>OPENAI_API_KEY</c>). The same name in
/// every environment, so a script runs unchanged against DEV and PROD; unique among one environment's keys in use.
/// </summary>
public static partial class ExportNames
{
    /// <summary>Why a name was refused, in plain words.</summary>
    public const string ShapeMessage =
        "Use capital letters, digits and _ only, starting with a letter or _ (like OPENAI_API_KEY), up to 64 characters.";

    /// <summary>The suffixes a .env file's variable names carry for their environment; dropped on import.</summary>
    private static readonly string[] EnvironmentSuffixes = ["_DEVELOPMENT", "_PRODUCTION", "_STAGING", "_DEV", "_PROD", "_STAGE"];

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    /// <summary>True when <paramref name="name"/> is a valid export name.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= ApiKey.MaxExportNameLength } && Shape().IsMatch(name);

    /// <summary>The default name for a key of this provider: the catalog's, else <c>NAME_API_KEY</c> from its name.</summary>
    public static string DefaultFor(string? providerId, string providerName) =>
        ProviderCatalog.Shipped.Find(providerId)?.ExportName ?? FromText(providerName);

    /// <summary>The key's export name: the one it was given, or its provider's default.</summary>
    public static string Of(ApiKey key) => key.ExportName ?? DefaultFor(key.ProviderId, key.ProviderName);

    /// <summary><c>My Voice Tool</c> → <c>MY_VOICE_TOOL_API_KEY</c>.</summary>
    public static string FromText(string providerName)
    {
        var builder = new StringBuilder();
        foreach (var c in providerName.Normalize(NormalizationForm.FormKD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
            else if (builder.Length > 0 && builder[^1] != '_' && c is ' ' or '-' or '_' or '.' or '/' or '&' or '+')
            {
                builder.Append('_');
            }
        }

        var stem = builder.ToString().Trim('_');
        if (stem.Length == 0)
        {
            stem = "SERVICE";
        }
        else if (char.IsAsciiDigit(stem[0]))
        {
            stem = "_" + stem;
        }

        const string Suffix = "_API_KEY";
        if (stem.Length > ApiKey.MaxExportNameLength - Suffix.Length)
        {
            stem = stem[..(ApiKey.MaxExportNameLength - Suffix.Length)].TrimEnd('_');
        }

        return stem + Suffix;
    }

    /// <summary>A .env variable name without its environment suffix: <c>OPENAI_API_KEY_PROD</c> → <c>OPENAI_API_KEY</c>.</summary>
    public static string FromVariableName(string variableName)
    {
        var name = variableName.Trim().ToUpperInvariant();
        foreach (var suffix in EnvironmentSuffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal))
            {
                name = name[..^suffix.Length];
                break;
            }
        }

        return name;
    }

    /// <summary><paramref name="name"/>, or with <c>_2</c>, <c>_3</c> … added when it is taken.</summary>
    public static string Distinct(string name, IReadOnlyCollection<string> taken)
    {
        var set = new HashSet<string>(taken, StringComparer.Ordinal);
        if (!set.Contains(name))
        {
            return name;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{name}_{n}";
            if (!set.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>The message when another key of the environment has the name already.</summary>
    public static string TakenMessage(string name, string otherLabel, VaultEnvironment environment) =>
        $"{name} is already the name of “{otherLabel}” in {environment.Code()}. Each key in one environment needs its own name. Nothing was changed.";

    /// <summary>True for a key whose value programs get: in use, not retired, replaced or leaked.</summary>
    public static bool IsInUse(KeyStatus status) => status == KeyStatus.Current;
}
