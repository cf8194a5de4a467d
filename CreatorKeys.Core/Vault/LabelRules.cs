using System.Text.RegularExpressions;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Checks a key's name against the convention <c>PROD — OpenAI — Created 2026-11-23</c>: a
/// vague name ("Key 1", "default", "test") or one that does not say its environment or date
/// makes the key hard to find at the provider and easy to mix up.
/// </summary>
public static partial class LabelRules
{
    private static readonly HashSet<string> VagueNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "api key", "apikey", "api", "my key", "new key", "secret", "token", "default", "main", "test",
        "testing", "temp", "tmp", "prod", "dev", "staging", "live", "production", "development", "untitled", "copy",
    };

    /// <summary>The reasons a name falls short, in plain words; empty when the name is clear.</summary>
    public static IReadOnlyList<string> Check(string label, VaultEnvironment environment)
    {
        var problems = new List<string>();
        var trimmed = label.Trim();
        // The words once per label (the vault page checks every row it shows), not once per rule and environment.
        var words = Words(trimmed);
        if (IsVague(trimmed, words))
        {
            problems.Add($"“{trimmed}” does not say which key this is.");
            return problems;
        }

        var upper = words.Select(w => w.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var named = VaultEnvironments.All.Where(e => NamesEnvironment(upper, e)).ToList();
        if (named.Count > 0 && !named.Contains(environment))
        {
            problems.Add($"The name says {string.Join(" and ", named.Select(e => e.Code()))}, but this is the {environment.Code()} key.");
        }
        else if (named.Count == 0)
        {
            problems.Add($"The name does not say it is the {environment.Code()} key.");
        }

        if (!DatePattern().IsMatch(trimmed))
        {
            problems.Add("The name has no date, so you cannot tell an old key from its replacement.");
        }

        return problems;
    }

    /// <summary>True when the name already says <paramref name="environment"/> (PROD, production, live …).</summary>
    public static bool NamesEnvironment(string label, VaultEnvironment environment) =>
        NamesEnvironment(Words(label.Trim()).Select(w => w.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal), environment);

    public static bool IsVague(string label)
    {
        var trimmed = label.Trim();
        return IsVague(trimmed, Words(trimmed));
    }

    private static bool IsVague(string trimmed, List<string> words)
    {
        if (trimmed.Length < 3 || VagueNames.Contains(trimmed))
        {
            return true;
        }

        // "Key 1", "key2", "Token #3", "test key", "API key (old)": a generic word and a number or two.
        return words.Count > 0 && words.All(w => VagueNames.Contains(w) || w.All(char.IsDigit) || w is "old" or "new" or "1st" or "2nd");
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (var match in WordPattern().EnumerateMatches(text))
        {
            words.Add(text.Substring(match.Index, match.Length));
        }

        return words;
    }

    private static bool NamesEnvironment(HashSet<string> words, VaultEnvironment environment)
    {
        return environment switch
        {
            VaultEnvironment.Dev => words.Overlaps(["DEV", "DEVELOPMENT"]),
            VaultEnvironment.Staging => words.Overlaps(["STAGING", "STAGE"]),
            VaultEnvironment.Prod => words.Overlaps(["PROD", "PRODUCTION", "LIVE"]),
            _ => false,
        };
    }

    [GeneratedRegex(@"\b(19|20)\d{2}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?\b")]
    private static partial Regex DatePattern();

    /// <summary>Runs of letters or of digits: "key2" is the words "key" and "2".</summary>
    [GeneratedRegex(@"\p{L}+|\p{N}+")]
    private static partial Regex WordPattern();
}
