using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Security;

/// <summary>
/// At start: re-encrypts with the certificate any key files made before it was set, then logs,
/// once, that the key ring is unencrypted at rest when it still is.
/// </summary>
internal sealed class KeyRingWarning(KeyRingStatus status, ILoggerFactory loggerFactory, ILogger<KeyRingWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var reprotected = status.ReprotectExistingKeys(loggerFactory);
            if (reprotected > 0)
            {
                logger.LogInformation("Re-encrypted {Count} key ring file(s) made before the certificate was set, in {KeyRingPath}.", reprotected, status.KeyRingPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Xml.XmlException or System.Security.Cryptography.CryptographicException)
        {
            logger.LogError(ex, "The key ring files in {KeyRingPath} could not be re-encrypted with the certificate.", status.KeyRingPath);
        }

        if (status.Warning is { } warning)
        {
            logger.LogWarning("{Warning} Key ring folder: {KeyRingPath}", warning, status.KeyRingPath);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
