using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Security;

/// <summary>Logs, once at start, that the key ring is unencrypted at rest when no certificate protects it.</summary>
internal sealed class KeyRingWarning(KeyRingStatus status, ILogger<KeyRingWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (status.Warning is { } warning)
        {
            logger.LogWarning("{Warning} Key ring folder: {KeyRingPath}", warning, status.KeyRingPath);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
