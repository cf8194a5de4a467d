using CreatorKeys.Cli;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Cli;

public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the creatorkeys command in-process with its own config folder, variables and standard streams.</summary>
public sealed class CliRunner : IDisposable
{
    private readonly TempFolder _home = new();

    public Dictionary<string, string?> Variables { get; } = new(StringComparer.Ordinal);

    public string ConfigFile => Path.Combine(_home.Path, "config", "creatorkeys", "config.json");

    public string ConfigFolder => Path.GetDirectoryName(ConfigFile)!;

    public string HomePath => _home.Path;

    public async Task<CliResult> RunWithInputAsync(string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var console = new CliConsole
        {
            GetVariable = name => name switch
            {
                "XDG_CONFIG_HOME" => Path.Combine(_home.Path, "config"),
                "HOME" => _home.Path,
                _ => Variables.GetValueOrDefault(name),
            },
            Input = new StringReader(input ?? ""),
            Output = output,
            Error = error,
        };
        var exitCode = await CliApp.RunAsync(args, console);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }

    public Task<CliResult> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Logs in with <paramref name="token"/> on standard input, as a person piping it in would.</summary>
    public async Task LoginAsync(string url, string token)
    {
        var result = await RunWithInputAsync(token + "\n", "login", "--url", url);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    public void Dispose() => _home.Dispose();
}
