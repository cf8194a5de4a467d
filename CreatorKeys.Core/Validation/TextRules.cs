namespace CreatorKeys.Core.Validation;

/// <summary>
/// What a name or note may contain. Letters of every script, digits, punctuation and emoji are
/// fine. Refused, with a message saying why: control characters (a line break in a one-line
/// name, NUL, escape codes), characters that make text display differently from what it is
/// (direction overrides and isolates, the "Trojan source" trick that could make a PROD key's
/// name read as DEV), and invisible characters (zero-width spaces, direction marks, word
/// joiners, byte-order marks) that make two names look the same. Zero-width joiners stay
/// allowed: emoji and several scripts need them.
/// </summary>
public static class TextRules
{
    /// <summary>Why a one-line text cannot be stored as typed, or null when it can.</summary>
    public static string? LineProblem(string text) => Problem(text, allowLineBreaks: false);

    /// <summary>As <see cref="LineProblem"/>, but line breaks and tabs are fine (notes).</summary>
    public static string? ParagraphProblem(string text) => Problem(text, allowLineBreaks: true);

    private static string? Problem(string text, bool allowLineBreaks)
    {
        foreach (var c in text)
        {
            if (allowLineBreaks && c is '\n' or '\r' or '\t')
            {
                continue;
            }

            if (c is '\n' or '\r')
            {
                return "Keep this on one line.";
            }

            if (char.IsControl(c))
            {
                return "This has an invisible control character (like a tab or a pasted escape code). Type it again or remove it.";
            }

            if (c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C')
            {
                return "This has a hidden text-direction mark, which can make it display differently from what it says. Type it again without it.";
            }

            if (c is '\u200B' or '\u2060' or '\uFEFF' or '\u00AD' or '\u180E')
            {
                return "This has an invisible character (like a zero-width space), which can make two different names look the same. Type it again without it.";
            }
        }

        return null;
    }
}
