using System.Text;

// Compiled into the creatorkeys command as well, in its own namespace there: the tests see both assemblies.
#if CREATORKEYS_CLI
namespace CreatorKeys.Cli;
#else
namespace CreatorKeys.Core.Text;
#endif

/// <summary>
/// Writes the .env format: one <c>NAME=value</c> line per key. The one writer behind the vault's "Download as .env"
/// and <c>creatorkeys export --format dotenv</c> (this file is compiled into the command too, which does not reference
/// Core), so both files read back alike through every .env loader and through <c>DotEnvParser</c>.
/// </summary>
public static class DotEnvFormat
{
    /// <summary>The lines for <paramref name="values"/>, in the order given, each ending in <c>\n</c>.</summary>
    public static string Write(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Concat(values.Select(v => $"{v.Key}={Quote(v.Value)}\n"));

    /// <summary>
    /// Single quotes when the value allows it (every .env loader reads them literally: no <c>$</c> expansion, no
    /// escapes); otherwise double quotes with <c>\\ \" \n \r \t</c> escapes, so a value with a quote or a line break
    /// stays on one line.
    /// </summary>
    public static string Quote(string value)
    {
        if (!value.Contains('\'', StringComparison.Ordinal) && !value.Any(char.IsControl))
        {
            return $"'{value}'";
        }

        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
