using System.Text.RegularExpressions;
using CreatorKeys.Core.Providers;

namespace CreatorKeys.Core.Leaks;

/// <summary>A piece of pasted text that might be a key, and the line it is on (from 1).</summary>
public sealed record LeakCandidate(string Text, int Line);

/// <summary>
/// Finds the strings in any text (a document, a log, a chat export) that could be API keys:
/// every run of key characters, the parts of such a run around <c>=</c>, <c>:</c>, <c>/</c>, <c>?</c>
/// and <c>&amp;</c> (so <c>api_key=sk-…</c> in a URL is found), without surrounding punctuation,
/// and a run that continues on the next line (a key wrapped by a chat app).
/// </summary>
public static partial class LeakScanner
{
    /// <summary>Shorter strings are never keys worth reporting.</summary>
    public const int MinimumLength = 16;

    public static IReadOnlyList<LeakCandidate> Candidates(string text)
    {
        var found = new HashSet<(string, int)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var runs = Run().Matches(lines[i]);
            foreach (Match run in runs)
            {
                foreach (var piece in Pieces(run.Value))
                {
                    found.Add((piece, i + 1));
                }
            }

            // A key broken across two lines: the last run of this line joined to the first of the next.
            if (runs.Count > 0 && i + 1 < lines.Length && runs[^1].Index + runs[^1].Length == lines[i].TrimEnd().Length
                && Run().Match(lines[i + 1].TrimStart()) is { Success: true, Index: 0 } next)
            {
                foreach (var piece in Pieces(TrimPunctuation(runs[^1].Value) + TrimPunctuation(next.Value)))
                {
                    found.Add((piece, i + 1));
                }
            }
        }

        return found.Select(f => new LeakCandidate(f.Item1, f.Item2)).OrderBy(c => c.Line).ToList();
    }

    /// <summary>
    /// Whether a string not found in the vault still looks like a key: a known provider's prefix
    /// and shape, or a long random-looking token (letters and digits, both cases, high variety).
    /// Plain hex strings are left alone: they are far more often hashes than keys.
    /// </summary>
    public static (bool LooksLikeKey, ProviderInfo? Provider) Classify(string candidate, IEnumerable<ProviderInfo> providers)
    {
        if (KeyShapes.Detect(candidate, providers) is { } provider)
        {
            return (true, provider);
        }

        if (candidate.Length < 24 || candidate.Contains('/', StringComparison.Ordinal) || Hex().IsMatch(candidate))
        {
            return (false, null);
        }

        var hasDigit = candidate.Any(char.IsDigit);
        var hasUpper = candidate.Any(char.IsUpper);
        var hasLower = candidate.Any(char.IsLower);
        return (hasDigit && hasUpper && hasLower && Entropy(candidate) >= 3.5, null);
    }

    /// <summary>Shannon entropy in bits per character: random keys score high, words and repeats low.</summary>
    public static double Entropy(string text) =>
        -text.GroupBy(c => c).Select(g => (double)g.Count() / text.Length).Sum(p => p * Math.Log2(p));

    private static IEnumerable<string> Pieces(string run)
    {
        var whole = TrimPunctuation(run);
        if (whole.Length >= MinimumLength)
        {
            yield return whole;
        }

        foreach (var part in Separators().Split(whole))
        {
            var trimmed = TrimPunctuation(part);
            if (trimmed.Length >= MinimumLength && trimmed != whole)
            {
                yield return trimmed;
            }
        }
    }

    private static string TrimPunctuation(string text) => text.Trim('.', ',', ';', ':', '!', '?', '\'', '"', '`', '(', ')', '[', ']', '{', '}', '<', '>', '*', '=', '&');

    [GeneratedRegex(@"[A-Za-z0-9_\-\.\+/=:?&%~]{16,}")]
    private static partial Regex Run();

    [GeneratedRegex(@"[=:/?&]+")]
    private static partial Regex Separators();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex Hex();
}
