using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CreatorKeys.Cli;

/// <summary>How <c>export</c> prints an environment's values; each format reads back to the same values.</summary>
public static partial class SecretFormats
{
    public const string DotEnv = "dotenv";
    public const string JsonFormat = "json";
    public const string Shell = "shell";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        // The output goes to a terminal or a file, not into HTML: keep + ' < > readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A name a shell and every .env loader accept as a variable: letters, digits, _; not a digit first.</summary>
    public static bool IsVariableName(string name) => VariableName().IsMatch(name);

    public static string Format(string format, IEnumerable<KeyValuePair<string, string>> values) => format switch
    {
        // The vault's "Download as .env" writes the same (the file is shared: CreatorKeys.Core/Text/DotEnvFormat.cs).
        DotEnv => DotEnvFormat.Write(values),
        Shell => string.Concat(values.Select(v => $"export {v.Key}={ShellQuote(v.Value)}\n")),
        JsonFormat => JsonSerializer.Serialize(values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal), Json) + "\n",
        _ => throw new CliException(ExitCodes.Usage, $"Unknown format “{format}”: use dotenv, json or shell."),
    };

    /// <summary>POSIX single quotes: nothing inside is special; a <c>'</c> becomes <c>'\''</c>.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex VariableName();
}
