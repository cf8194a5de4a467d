using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// The real app (Program.cs, Production environment) on Kestrel at a free loopback port,
/// with its own data folder and optionally a fake clock. Dispose and start another on the
/// same folder to simulate a restart.
/// </summary>
public sealed class AppHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly bool _ownsFolder;

    private readonly TimeProvider? _clock;

    private AppHost(TempFolder folder, bool ownsFolder, TimeProvider? clock, IReadOnlyDictionary<string, string?> settings)
    {
        Folder = folder;
        _ownsFolder = ownsFolder;
        _clock = clock;
        _settings = settings;
    }

    /// <summary>Settings that turn every log category up to Trace, for tests that read the whole log.</summary>
    public static IReadOnlyDictionary<string, string?> TraceLogging { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR"] = "Trace",
        ["Logging:LogLevel:Microsoft.AspNetCore.Http.Connections"] = "Trace",
    };

    public TempFolder Folder { get; }

    /// <summary>The app's clock when the test moves it by hand; null for the system clock or a <see cref="RunningClock"/>.</summary>
    public FakeTimeProvider? Time => _clock as FakeTimeProvider;

    public LogCapture Logs { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    public VaultSessionStore Sessions => Services.GetRequiredService<VaultSessionStore>();

    public DataFolder DataFolder => Services.GetRequiredService<DataFolder>();

    /// <summary>
    /// Starts the app. Pass an existing folder to start it again on the same data, and a clock
    /// (a <see cref="FakeTimeProvider"/> to move by hand, or a <see cref="RunningClock"/>) to set the app's "now".
    /// </summary>
    public static AppHost Start(TempFolder? folder = null, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = new AppHost(folder ?? new TempFolder(), folder is null, time, settings ?? new Dictionary<string, string?>());
        host.UseKestrel();
        host.StartServer();
        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return host;
    }

    /// <summary>An HTTP client against the running server with its own cookie jar, not following redirects.</summary>
    public HttpClient NewHttpClient(bool followRedirects = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = new System.Net.CookieContainer() };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    /// <summary>The providers the app has calls for (Core/Providers/&lt;Provider&gt;).</summary>
    private static readonly string[] ProvidersWithCalls =
        ["openai", "anthropic", "openrouter", "elevenlabs", "replicate", "google-gemini", "stability", "groq", "mistral", "together"];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("urls", "http://127.0.0.1:0");
        builder.UseSetting(DataFolder.SettingName, Folder.Path);
        // No test reaches the internet: every provider the app can call answers "refused connection" on this
        // machine at once (port 9, discard), unless a test points it at its own fake below.
        foreach (var provider in ProvidersWithCalls)
        {
            builder.UseSetting($"CreatorKeys:Providers:{provider}:BaseAddress", "http://127.0.0.1:9/");
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(Logs);
        });

        if (_clock is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(_clock));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _ownsFolder)
        {
            Folder.Dispose();
        }
    }
}
