using System.Globalization;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Text;

/// <summary>
/// The small words people read without noticing when they are right: "1 key" / "3 keys", "every day",
/// "$300", "an OpenAI key". One place, so no page says "key(s)", "every 1 days" or "300.0".
/// </summary>
public static class Wording
{
    /// <summary>"1 key", "0 keys", "1,250 keys"; the plural is the singular plus "s" unless given.</summary>
    public static string Count(int count, string singular, string? plural = null) =>
        count.ToString("N0", CultureInfo.InvariantCulture) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>"every day", "every 90 days" (lower case, for the middle of a sentence).</summary>
    public static string Every(int days) => days == 1 ? "every day" : $"every {days.ToString("N0", CultureInfo.InvariantCulture)} days";

    /// <summary>"Every day", "Every 90 days" (for the start of a sentence or a list item).</summary>
    public static string EveryCapitalised(int days) => "E" + Every(days)[1..];

    /// <summary>
    /// A day the way people read it, with its year, for texts that outlive the page (emails, reminders, activity):
    /// "7 Dec 2026". Pages say "7 Dec" through the browser's time zone (DateText); file names keep 2026-12-07.
    /// </summary>
    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>A moment in UTC for emails, which have no browser to ask: "7 Dec 2026, 08:05 UTC".</summary>
    public static string MomentUtc(DateTimeOffset at) => at.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"$300", "$1,250", "$12.50": whole amounts without a decimal point.</summary>
    public static string Money(decimal amount) => CapRules.Money(amount);

    /// <summary>
    /// The name with "a" or "an" as it is said: "an OpenAI", "a Runway", "an n8n", "an HTTP", "a Make".
    /// Decided by the sound of the first letter: a vowel, or a letter said on its own that starts with one
    /// (F, H, L, M, N, R, S, X in an abbreviation or a name like n8n).
    /// </summary>
    public static string WithArticle(string name)
    {
        var trimmed = name.Trim();
        return (StartsWithVowelSound(trimmed) ? "an " : "a ") + trimmed;
    }

    private static bool StartsWithVowelSound(string word)
    {
        if (word.Length == 0)
        {
            return false;
        }

        var first = char.ToUpperInvariant(word[0]);
        if ("AEIO".Contains(first, StringComparison.Ordinal))
        {
            return true;
        }

        if (first == 'U')
        {
            // "an Unreal", but "a Udio" / "a USB" sound like "you": only a short u takes "an".
            return word.Length > 1 && "NMG".Contains(char.ToUpperInvariant(word[1]), StringComparison.Ordinal) && !IsSpelledOut(word);
        }

        // Letters said on their own: "an SDK", "an n8n", "an HTTP" — but "a Make", "a Runway".
        return "FHLMNRSX".Contains(first, StringComparison.Ordinal) && IsSpelledOut(word);
    }

    /// <summary>
    /// An abbreviation or a name said letter by letter: a digit second (n8n), or a short run of capitals (SDK, HTTP);
    /// a longer all-capitals word is said as a word (STAGING).
    /// </summary>
    private static bool IsSpelledOut(string word)
    {
        if (word.Length < 2)
        {
            return false;
        }

        if (char.IsDigit(word[1]))
        {
            return true;
        }

        var capitals = word.TakeWhile(char.IsUpper).Count();
        return capitals >= 2 && capitals <= 4 && (capitals == word.Length || !char.IsLetter(word[capitals]));
    }
}
