using System.Diagnostics;
using System.Text;

namespace CreatorKeys.Tests.Cli;

/// <summary>The built creatorkeys tool (copied beside the tests) or any program, run as a real child process.</summary>
public static class CliProcess
{
    public static string ToolPath => Path.Combine(AppContext.BaseDirectory, "CreatorKeys.Cli.dll");

    public static Task<CliResult> RunToolAsync(IReadOnlyDictionary<string, string?> variables, params string[] args) =>
        RunAsync("dotnet", [ToolPath, .. args], variables);

    public static async Task<CliResult> RunAsync(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string?> variables)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in variables)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CliResult(process.ExitCode, await output, await error);
    }
}
