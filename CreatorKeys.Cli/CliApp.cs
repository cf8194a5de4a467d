using System.CommandLine;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace CreatorKeys.Cli;

/// <summary>
/// The <c>creatorkeys</c> commands (docs/cli.md). <see cref="RunAsync"/> is the whole program; tests call it
/// in-process with their own <see cref="CliConsole"/>.
/// </summary>
public static class CliApp
{
    public const string UrlVariable = "CREATORKEYS_URL";
    public const string TokenVariable = "CREATORKEYS_TOKEN";

    private static readonly string[] EnvironmentNames = ["DEV", "STAGING", "PROD"];

    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = BuildCommands(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync(error.Message);
            }

            await console.Error.WriteLineAsync("See `creatorkeys --help`.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = console.Output,
                    Error = console.Error,
                    EnableDefaultExceptionHandler = false,
                    // `run` lets its program handle Ctrl+C (the terminal sends it to both) and waits for its exit code.
                    ProcessTerminationTimeout = null,
                },
                cancellationToken);
        }
        catch (CliException e)
        {
            await console.Error.WriteLineAsync("creatorkeys: " + e.Message);
            return e.ExitCode;
        }
    }

    private static RootCommand BuildCommands(CliConsole console)
    {
        var root = new RootCommand("Use your CreatorKeys keys where they run: start a program with one environment's keys, export them, compare environments.");

        var url = new Option<string>("--url") { Description = "The install's address, e.g. https://keys.example.com (or set CREATORKEYS_URL)." };
        var login = new Command("login", "Save the install's address and an access token (read from CREATORKEYS_TOKEN or standard input).") { url };
        login.SetAction((result, token) => LoginAsync(console, result.GetValue(url), token));
        root.Subcommands.Add(login);

        var logoutEnv = EnvironmentOption("Forget only this environment's token.");
        var logout = new Command("logout", "Forget saved tokens (all of them, or one environment's).") { logoutEnv };
        logout.SetAction(result => Logout(console, Upper(result.GetValue(logoutEnv))));
        root.Subcommands.Add(logout);

        var runEnv = EnvironmentOption("The environment whose keys the program gets.");
        var program = new Argument<string[]>("program") { Description = "The program and its arguments, after --.", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Start a program with the environment's keys as environment variables; returns its exit code.") { runEnv, program };
        run.SetAction((result, token) => RunProgramAsync(console, Upper(result.GetValue(runEnv)), result.GetValue(program)!, token));
        root.Subcommands.Add(run);

        var exportEnv = EnvironmentOption("The environment to print.");
        var format = new Option<string>("--format") { Description = "dotenv (default), json or shell.", DefaultValueFactory = _ => SecretFormats.DotEnv };
        format.AcceptOnlyFromAmong(SecretFormats.DotEnv, SecretFormats.JsonFormat, SecretFormats.Shell);
        var export = new Command("export", "Print the environment's keys and values (the only command that prints values).") { exportEnv, format };
        export.SetAction((result, token) => ExportAsync(console, Upper(result.GetValue(exportEnv)), result.GetValue(format)!, token));
        root.Subcommands.Add(export);

        var first = EnvironmentArgument("first", "The environment that has the names, e.g. DEV.");
        var second = EnvironmentArgument("second", "The environment to check, e.g. PROD.");
        var failOnMissing = new Option<bool>("--fail-on-missing") { Description = "Exit with 1 when the second environment lacks a name the first has." };
        var diff = new Command("diff", "List the key names one environment has and the other lacks (never values).") { first, second, failOnMissing };
        diff.SetAction((result, token) => DiffAsync(console, Upper(result.GetValue(first))!, Upper(result.GetValue(second))!, result.GetValue(failOnMissing), token));
        root.Subcommands.Add(diff);

        var whoami = new Command("whoami", "Show the install, environment, mode and token for each saved token.");
        whoami.SetAction((_, token) => WhoAmIAsync(console, token));
        root.Subcommands.Add(whoami);

        return root;
    }

    private static Option<string> EnvironmentOption(string description)
    {
        var option = new Option<string>("--env") { Description = description + " DEV, STAGING or PROD." };
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, EnvironmentNames);
        return option;
    }

    private static Argument<string> EnvironmentArgument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description, HelpName = name };
        argument.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, EnvironmentNames);
        return argument;
    }

    private static string? Upper(string? environment) => environment?.ToUpperInvariant();

    private static async Task<int> LoginAsync(CliConsole console, string? url, CancellationToken cancellationToken)
    {
        var config = CliConfig.Load(console);
        url ??= console.GetVariable(UrlVariable) ?? config.Url
            ?? throw new CliException(ExitCodes.Usage, "Give the install's address: creatorkeys login --url https://keys.example.com");
        var address = ApiClient.CheckAddress(url).ToString().TrimEnd('/');

        var token = console.GetVariable(TokenVariable);
        if (string.IsNullOrWhiteSpace(token))
        {
            if (console.InputIsTerminal)
            {
                await console.Error.WriteAsync("Paste the access token (Settings → Access tokens; it will not show): ");
                token = console.ReadHidden();
            }
            else
            {
                token = await console.Input.ReadLineAsync(cancellationToken);
            }
        }

        token = token?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            throw new CliException(ExitCodes.Usage, "No token given: pipe it in, paste it when asked, or set CREATORKEYS_TOKEN.");
        }

        ApiClient.EnvironmentOf(token);
        using var api = new ApiClient(address);
        var about = await api.GetEnvironmentsAsync(token, cancellationToken);
        if (about.Environments is not [var environment])
        {
            throw new CliException(ExitCodes.Unreachable, "The server's answer does not name exactly one environment for this token.");
        }

        var name = environment.Name.ToUpperInvariant();
        if (config.Url is not null && !string.Equals(config.Url, address, StringComparison.OrdinalIgnoreCase) && config.Tokens.Count > 0)
        {
            await console.Error.WriteLineAsync($"Forgot the tokens saved for {config.Url} ({string.Join(", ", config.Tokens.Keys)}): one install at a time.");
            config.Tokens.Clear();
        }

        config.Url = address;
        config.Tokens[name] = token;
        config.Save(console);
        await console.Output.WriteLineAsync($"Logged in to {about.Install} ({address}) for {name} ({environment.Mode}), token “{about.Token.Name}”{Expiry(about.Token)}.");
        await console.Output.WriteLineAsync($"Saved in {CliConfig.FileFor(console)} (readable by you only).");
        return ExitCodes.Ok;
    }

    private static int Logout(CliConsole console, string? environment)
    {
        var config = CliConfig.Load(console);
        string[] removed = environment is null ? [.. config.Tokens.Keys] : config.Tokens.ContainsKey(environment) ? [environment] : [];
        foreach (var name in removed)
        {
            config.Tokens.Remove(name);
        }

        if (removed.Length > 0)
        {
            config.Save(console);
        }

        console.Output.WriteLine(removed.Length == 0
            ? $"No saved token{(environment is null ? "s" : " for " + environment)}; nothing to forget."
            : $"Forgot the saved token for {string.Join(", ", removed)}. (A token stays valid on the server until you revoke it in Settings → Access tokens.)");
        if (!string.IsNullOrEmpty(console.GetVariable(TokenVariable)))
        {
            console.Error.WriteLine("CREATORKEYS_TOKEN is still set in this shell; it keeps working until you unset it.");
        }

        return ExitCodes.Ok;
    }

    private static async Task<int> RunProgramAsync(CliConsole console, string? environment, string[] program, CancellationToken cancellationToken)
    {
        var (values, _) = await FetchValuesAsync(console, environment, cancellationToken);
        var start = new ProcessStartInfo(program[0]) { UseShellExecute = false };
        foreach (var argument in program.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        // The program inherits this shell's environment; a name the vault also has takes the vault's value (as
        // Doppler does). The token itself is not passed on: the program needs the keys, not the way to fetch them.
        start.Environment.Remove(TokenVariable);
        foreach (var (name, value) in values)
        {
            start.Environment[name] = value;
        }

        // Ctrl+C reaches the program too (same terminal): let it decide, and wait for its exit code.
        using var interrupt = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException(ExitCodes.CannotStart, $"Cannot start “{program[0]}”.");
        }
        catch (Win32Exception e)
        {
            throw new CliException(ExitCodes.CannotStart, $"Cannot start “{program[0]}”: {e.Message}");
        }

        using (process)
        {
            await process.WaitForExitAsync(CancellationToken.None);
            return process.ExitCode;
        }
    }

    private static async Task<int> ExportAsync(CliConsole console, string? environment, string format, CancellationToken cancellationToken)
    {
        var (values, _) = await FetchValuesAsync(console, environment, cancellationToken);
        await console.Output.WriteAsync(SecretFormats.Format(format, values));
        return ExitCodes.Ok;
    }

    private static async Task<int> DiffAsync(CliConsole console, string first, string second, bool failOnMissing, CancellationToken cancellationToken)
    {
        if (first == second)
        {
            throw new CliException(ExitCodes.Usage, "Give two different environments, e.g. creatorkeys diff DEV PROD.");
        }

        var (firstValues, _) = await FetchValuesAsync(console, first, cancellationToken);
        var (secondValues, _) = await FetchValuesAsync(console, second, cancellationToken);
        var firstNames = firstValues.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var secondNames = secondValues.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        var missingInSecond = firstNames.Except(secondNames).Order(StringComparer.Ordinal).ToList();
        var missingInFirst = secondNames.Except(firstNames).Order(StringComparer.Ordinal).ToList();

        await WriteNamesAsync(console, $"In {first}, missing in {second}:", missingInSecond);
        await WriteNamesAsync(console, $"In {second}, missing in {first}:", missingInFirst);
        return failOnMissing && missingInSecond.Count > 0 ? ExitCodes.Missing : ExitCodes.Ok;
    }

    private static async Task WriteNamesAsync(CliConsole console, string heading, List<string> names)
    {
        await console.Output.WriteLineAsync(heading + (names.Count == 0 ? " none" : ""));
        foreach (var name in names)
        {
            await console.Output.WriteLineAsync("  " + name);
        }
    }

    private static async Task<int> WhoAmIAsync(CliConsole console, CancellationToken cancellationToken)
    {
        var (url, tokens) = Login(console);
        var exitCode = ExitCodes.Ok;
        using var api = new ApiClient(url);
        var fromVariable = console.GetVariable(TokenVariable);
        foreach (var (environment, token) in tokens)
        {
            var source = token == fromVariable ? " (from CREATORKEYS_TOKEN)" : "";
            try
            {
                var about = await api.GetEnvironmentsAsync(token, cancellationToken);
                foreach (var served in about.Environments)
                {
                    await console.Output.WriteLineAsync($"{served.Name,-8} {served.Mode,-5} {about.Install} ({url}), token “{about.Token.Name}”{Expiry(about.Token)}{source}");
                }
            }
            catch (CliException e)
            {
                await console.Output.WriteLineAsync($"{environment,-8} ?     {e.Message}{source}");
                exitCode = exitCode == ExitCodes.Ok ? e.ExitCode : exitCode;
            }
        }

        return exitCode;
    }

    /// <summary>The address and the tokens by environment: saved ones, with CREATORKEYS_URL / CREATORKEYS_TOKEN on top.</summary>
    private static (string Url, SortedDictionary<string, string> Tokens) Login(CliConsole console)
    {
        var config = CliConfig.Load(console);
        var tokens = config.Tokens;
        var fromVariable = console.GetVariable(TokenVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromVariable))
        {
            tokens[ApiClient.EnvironmentOf(fromVariable)] = fromVariable;
        }

        var url = console.GetVariable(UrlVariable) is { Length: > 0 } variable ? variable : config.Url;
        if (url is null || tokens.Count == 0)
        {
            throw new CliException(ExitCodes.NotLoggedIn, "Not logged in: run `creatorkeys login --url https://…` (or set CREATORKEYS_URL and CREATORKEYS_TOKEN).");
        }

        return (url, tokens);
    }

    /// <summary>The environment's values by export name; names a shell cannot hold are left out with a warning.</summary>
    private static async Task<(List<KeyValuePair<string, string>> Values, string Mode)> FetchValuesAsync(CliConsole console, string? environment, CancellationToken cancellationToken)
    {
        var (url, tokens) = Login(console);
        if (environment is null)
        {
            environment = tokens.Count == 1
                ? tokens.Keys.Single()
                : throw new CliException(ExitCodes.Usage, $"Say which environment: --env {string.Join(" / --env ", tokens.Keys)}.");
        }

        if (!tokens.TryGetValue(environment, out var token))
        {
            throw new CliException(ExitCodes.NotLoggedIn, $"No token for {environment}: make one in Settings → Access tokens and run `creatorkeys login` with it.");
        }

        using var api = new ApiClient(url);
        var answer = await api.GetSecretsAsync(token, environment, cancellationToken);
        var values = new List<KeyValuePair<string, string>>();
        foreach (var secret in answer.Secrets.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            if (SecretFormats.IsVariableName(secret.Name))
            {
                values.Add(new(secret.Name, secret.Value));
            }
            else
            {
                await console.Error.WriteLineAsync($"creatorkeys: left out “{secret.Name}”: a variable name uses only letters, digits and _ (rename it in the vault).");
            }
        }

        return (values, answer.Mode);
    }

    private static string Expiry(TokenInfo token) => token.ExpiresAt is { } expires
        ? ", expires " + expires.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
        : ", never expires";
}
