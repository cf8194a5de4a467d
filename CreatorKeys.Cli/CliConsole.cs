namespace CreatorKeys.Cli;

/// <summary>
/// What the command reads and writes outside itself: its environment variables, standard streams and the terminal.
/// <see cref="FromProcess"/> is the real one; tests build their own so the command runs in-process.
/// </summary>
public sealed class CliConsole
{
    public required Func<string, string?> GetVariable { get; init; }

    public required TextReader Input { get; init; }

    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    /// <summary>True when standard input is a person at a terminal (login then prompts without echo).</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Reads one line without showing it; only called when <see cref="InputIsTerminal"/>.</summary>
    public Func<string?> ReadHidden { get; init; } = () => null;

    public static CliConsole FromProcess() => new()
    {
        GetVariable = Environment.GetEnvironmentVariable,
        Input = Console.In,
        Output = Console.Out,
        Error = Console.Error,
        InputIsTerminal = !Console.IsInputRedirected,
        ReadHidden = ReadHiddenLine,
    };

    private static string? ReadHiddenLine()
    {
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                Console.Error.WriteLine();
                return text.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                {
                    text.Length--;
                }

                continue;
            }

            if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
    }
}
