using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// A server started as its own process on a free loopback port: the real CreatorKeys app
/// (its build output, copied beside this program) or the empty ASP.NET app of <see cref="EmptyApp"/>.
/// </summary>
public sealed partial class AppProcess : IAsyncDisposable
{
    /// <summary>What the app's idle memory trim writes each time the server goes quiet (<c>IdleMemoryTrimmer</c>).</summary>
    public const string QuietMarker = "Server quiet:";

    private readonly Process _process;
    private readonly System.Text.StringBuilder _output;

    private AppProcess(Process process, System.Text.StringBuilder output, Uri baseAddress, TimeSpan startedIn)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        StartedIn = startedIn;
    }

    public Uri BaseAddress { get; }

    /// <summary>From starting the process to the first 200 from <c>/healthz</c>.</summary>
    public TimeSpan StartedIn { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Where CreatorKeys.Web.dll is started from: null for the build output copied beside this program, or a folder
    /// <c>dotnet publish</c> wrote (<c>--app</c>), to measure the app as the Dockerfile ships it (precompiled).
    /// </summary>
    public static string? WebAppFolder { get; set; }

    /// <summary>How the measured app was built, for the result lines.</summary>
    public static string WebAppKind => WebAppFolder is null ? "as built" : "published";

    /// <summary>
    /// Starts CreatorKeys.Web on <paramref name="dataFolder"/> and waits for <c>/healthz</c>; on <paramref name="database"/>'s
    /// engine (SQLite in the folder when null, or the folder's PostgreSQL database through the app's own settings).
    /// </summary>
    public static async Task<AppProcess> StartWebAsync(string dataFolder, IReadOnlyDictionary<string, string>? settings = null, BenchmarkDatabase? database = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["CreatorKeys__DataFolder"] = dataFolder,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            // Its "server quiet" lines, so the memory measure knows when the app has given back what it can.
            ["Logging__LogLevel__CreatorKeys.Web.IdleMemoryTrimmer"] = "Debug",
        };
        foreach (var (name, value) in await (database ?? BenchmarkDatabase.Sqlite).SettingsForAsync(dataFolder))
        {
            // CreatorKeys:Database:Provider → CreatorKeys__Database__Provider, as a deployment sets it.
            environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        return await StartAsync(WebAppFolder is null ? "CreatorKeys.Web.dll" : Path.Combine(Path.GetFullPath(WebAppFolder), "CreatorKeys.Web.dll"), [], environment);
    }

    /// <summary>Starts the empty ASP.NET app (this program with <c>empty-app</c>) and waits for <c>/healthz</c>.</summary>
    public static Task<AppProcess> StartEmptyAsync() =>
        StartAsync(typeof(AppProcess).Assembly.GetName().Name + ".dll", [EmptyApp.Argument], new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

    private static async Task<AppProcess> StartAsync(string assembly, string[] args, Dictionary<string, string> environment)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var directory = Path.GetDirectoryName(Path.Combine(AppContext.BaseDirectory, assembly))!;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Each program runs with its own runtime config and dependency list, copied beside it by the build.
        foreach (var arg in (string[])[Path.Combine(directory, assembly), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Urls"] = baseAddress.ToString().TrimEnd('/');
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await client.GetAsync("healthz");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new AppProcess(process, output, baseAddress, watch.Elapsed);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but busy starting.
            }

            await Task.Delay(10);
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        lock (output)
        {
            throw new InvalidOperationException($"{assembly} did not answer /healthz with 200 (exit code {(process.HasExited ? process.ExitCode : -1)}):\n{output}");
        }
    }

    /// <summary>A client signed in through the real sign-in form (which unlocks the vault on the server).</summary>
    public async Task<HttpClient> SignInAsync(string email, string password) =>
        (await SignInWithCookiesAsync(email, password)).Client;

    /// <summary>As <see cref="SignInAsync"/>, with the cookies the sign-in set (to hand to a browser).</summary>
    public async Task<(HttpClient Client, CookieContainer Cookies)> SignInWithCookiesAsync(string email, string password)
    {
        var cookies = new CookieContainer();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies, MaxConnectionsPerServer = 64 };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        var page = await client.GetStringAsync("account/sign-in");
        var form = FormPattern().Matches(page).Select(m => m.Value).FirstOrDefault(f => f.Contains("value=\"sign-in\"", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The sign-in page has no sign-in form.");
        var fields = InputPattern().Matches(form)
            .Select(m => (Name: Attribute(m.Value, "name"), Value: Attribute(m.Value, "value"), Type: Attribute(m.Value, "type")))
            .Where(f => f.Name is not null && f.Type is not ("checkbox" or "submit"))
            .GroupBy(f => f.Name!)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Value ?? ""));
        fields["Input.Email"] = email;
        fields["Input.Password"] = password;
        using var response = await client.PostAsync("account/sign-in", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}, not a redirect.");
        }

        var location = response.Headers.Location?.ToString() ?? "";
        if (location.Contains("sign-in", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Sign-in was refused ({location}).");
        }

        return (client, cookies);
    }

    /// <summary>
    /// Waits until the server has been idle for a second (under 5% of one core): its start-up work
    /// (the catch-up reminder check, background JIT) done, so a load test measures the steady state.
    /// Polled, not slept: returns the moment the server is quiet, and gives up after a minute.
    /// </summary>
    public async Task<(bool Idle, TimeSpan Waited)> WaitUntilIdleAsync()
    {
        var waited = Stopwatch.StartNew();
        var window = TimeSpan.FromSeconds(1);
        while (waited.Elapsed < TimeSpan.FromMinutes(1))
        {
            _process.Refresh();
            var cpu = _process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            await Task.Delay(window);
            _process.Refresh();
            if ((_process.TotalProcessorTime - cpu) < wall.Elapsed * 0.05)
            {
                return (true, waited.Elapsed);
            }
        }

        return (false, waited.Elapsed);
    }

    /// <summary>How many times the app has said <see cref="QuietMarker"/> so far.</summary>
    public int QuietCount()
    {
        lock (_output)
        {
            var text = _output.ToString();
            var count = 0;
            for (var at = text.IndexOf(QuietMarker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(QuietMarker, at + 1, StringComparison.Ordinal))
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>
    /// Waits for the app's next "server quiet" line after <paramref name="seen"/> of them: the server has gone a
    /// whole check period without work and has given back what memory it could. Polled; false after two minutes.
    /// </summary>
    public async Task<bool> WaitForQuietAsync(int seen)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (QuietCount() > seen)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>The server's resident memory (VmRSS), in bytes.</summary>
    public long ResidentBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    private static string? Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<form[\\s\\S]*?</form>")]
    private static partial Regex FormPattern();

    [GeneratedRegex("<input[^>]*>")]
    private static partial Regex InputPattern();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
