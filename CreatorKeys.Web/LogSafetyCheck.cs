namespace CreatorKeys.Web;

/// <summary>
/// Refuses to start when logging is set so low for SignalR that it would write what creators
/// type (key values) into the log. A bad setting fails loudly at launch, not silently in a log file.
/// </summary>
internal sealed class LogSafetyCheck(ILoggerFactory loggers) : IHostedService
{
    /// <summary>Categories that log the content of browser messages below Information.</summary>
    internal static readonly string[] MessageLoggingCategories =
    [
        "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher",
        "Microsoft.AspNetCore.SignalR.HubConnectionContext",
        "Microsoft.AspNetCore.Http.Connections.Internal.HttpConnectionDispatcher",
        "Microsoft.AspNetCore.Http.Connections.Internal.Transports.WebSocketsServerTransport",
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var unsafeCategories = MessageLoggingCategories
            .Where(category => loggers.CreateLogger(category).IsEnabled(LogLevel.Debug))
            .ToList();
        if (unsafeCategories.Count > 0)
        {
            throw new InvalidOperationException(
                $"Logging is set to Debug or Trace for {string.Join(", ", unsafeCategories)}. At that level SignalR writes what " +
                "people type into the log, which could include API key values. Remove the Logging setting for " +
                "Microsoft.AspNetCore.SignalR / Microsoft.AspNetCore.Http.Connections (Information or higher is fine).");
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
