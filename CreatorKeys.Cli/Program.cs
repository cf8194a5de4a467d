namespace CreatorKeys.Cli;

/// <summary>The creatorkeys command; everything is in <see cref="CliApp"/>. (Not top-level statements: the tests
/// reference both this and the web app, whose <c>Program</c> lives in the global namespace.)</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, CliConsole.FromProcess());
}
