using System.Text;
using System.Text.RegularExpressions;

namespace CreatorKeys.Core.Import;

/// <summary>One <c>NAME=value</c> line of a .env file.</summary>
public sealed record DotEnvEntry(int Line, string Name, string Value);

/// <summary>A line that could not be read, or a name set twice; <see cref="Line"/> counts from 1.</summary>
public sealed record DotEnvProblem(int Line, string Message);

public sealed record DotEnvDocument(IReadOnlyList<DotEnvEntry> Entries, IReadOnlyList<DotEnvProblem> Problems);

/// <summary>
/// Reads the .env format the usual tools write: <c>NAME=value</c> lines, an optional
/// <c>export</c> in front, <c>#</c> comments (whole-line, or after an unquoted value), blank
/// lines, single- and double-quoted values (double quotes understand <c>\n \r \t \" \\</c> and
/// may span lines), Windows line ends and a byte-order mark. Lines it cannot read are
/// reported with their number; a name set twice keeps its last value and is reported.
/// </summary>
public static partial class DotEnvParser
{
    public static DotEnvDocument Parse(string text)
    {
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var entries = new List<DotEnvEntry>();
        var problems = new List<DotEnvProblem>();

        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var match = Assignment().Match(line);
            if (!match.Success)
            {
                problems.Add(new DotEnvProblem(lineNumber, line.Contains('=', StringComparison.Ordinal)
                    ? "The name before “=” can only use letters, digits and _ (and not start with a digit)."
                    : "This line has no “=”; each line should look like NAME=value."));
                continue;
            }

            var name = match.Groups["name"].Value;
            var rest = match.Groups["rest"].Value;
            string? value;
            string? error;
            if (rest.Length > 0 && rest[0] is '"' or '\'' or '`')
            {
                int lastLine;
                (value, error, lastLine) = ReadQuoted(lines, i, rest);
                // A broken quote is reported on its own line, and reading goes on from the next one.
                i = error is null ? lastLine : i;
            }
            else
            {
                value = StripInlineComment(rest).Trim();
                error = null;
            }

            if (error is not null)
            {
                problems.Add(new DotEnvProblem(lineNumber, error));
                continue;
            }

            entries.Add(new DotEnvEntry(lineNumber, name, value!));
        }

        // A name set twice: the last one counts, as in every .env loader; say so for the others.
        var kept = new List<DotEnvEntry>();
        foreach (var group in entries.GroupBy(e => e.Name, StringComparer.Ordinal))
        {
            var last = group.Last();
            kept.Add(last);
            foreach (var earlier in group.SkipLast(1))
            {
                problems.Add(new DotEnvProblem(earlier.Line, $"{earlier.Name} is set again on line {last.Line}; the later value is used."));
            }
        }

        return new DotEnvDocument(kept.OrderBy(e => e.Line).ToList(), problems.OrderBy(p => p.Line).ToList());
    }

    /// <summary>Reads a quoted value that starts in <paramref name="rest"/>, possibly continuing on following lines.</summary>
    private static (string? Value, string? Error, int LastLine) ReadQuoted(string[] lines, int index, string rest)
    {
        var quote = rest[0];
        var value = new StringBuilder();
        var text = rest[1..];
        var line = index;
        while (true)
        {
            for (var j = 0; j < text.Length; j++)
            {
                var c = text[j];
                if (quote == '"' && c == '\\' && j + 1 < text.Length)
                {
                    j++;
                    value.Append(text[j] switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        var other => other,
                    });
                    continue;
                }

                if (c == quote)
                {
                    var after = text[(j + 1)..].Trim();
                    if (after.Length == 0 || after.StartsWith('#'))
                    {
                        return (value.ToString(), null, line);
                    }

                    return line == index
                        ? (null, "There is text after the closing quote. Put a # before a comment.", line)
                        : (null, $"The value's closing quote on line {line + 1} has text after it; put a # before a comment.", line);
                }

                value.Append(c);
            }

            if (line + 1 >= lines.Length)
            {
                return (null, Unclosed(quote), line);
            }

            value.Append('\n');
            line++;
            text = lines[line].TrimEnd('\r');
        }
    }

    private static string Unclosed(char quote) =>
        $"The {quote switch { '"' => "double quote", '\'' => "single quote", _ => "backtick" }} that starts the value is never closed.";

    /// <summary>Unquoted values end where whitespace and a # start a comment.</summary>
    private static string StripInlineComment(string value)
    {
        var comment = InlineComment().Match(value);
        return comment.Success ? value[..comment.Index] : value;
    }

    [GeneratedRegex(@"\s#")]
    private static partial Regex InlineComment();

    [GeneratedRegex(@"^(?:export\s+)?(?<name>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?<rest>.*)$")]
    private static partial Regex Assignment();
}
