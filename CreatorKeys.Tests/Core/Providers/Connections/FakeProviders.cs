using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.Server;

namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>
/// A WireMock server on loopback standing in for every provider at once (their paths do not collide), and the real
/// provider-connection services pointed at it, with every log line kept at Trace.
/// </summary>
public sealed class FakeProviders : IDisposable
{
    private readonly ServiceProvider _services;

    public FakeProviders(IDictionary<string, string?>? settings = null)
    {
        Server = WireMockServer.Start();
        var values = new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
        };
        foreach (var provider in ProviderCases.All)
        {
            values[$"{ProviderConnectionOptions.Section}:{provider.Id}:BaseAddress"] = Server.Url + "/";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        services.AddSingleton(TimeProvider.System);
        services.AddProviderConnections(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public WireMockServer Server { get; }

    public LogCapture Logs { get; } = new();

    public KeyCheckService Checks => _services.GetRequiredService<KeyCheckService>();

    public SpendService Spend => _services.GetRequiredService<SpendService>();

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int RequestsTo(string path) => Server.LogEntries.Count(e => e.RequestMessage.Path == path);

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        _services.Dispose();
    }
}
