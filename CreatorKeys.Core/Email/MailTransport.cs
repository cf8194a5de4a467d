using CreatorKeys.Core.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CreatorKeys.Core.Email;

/// <summary>
/// Hands one message to the SMTP server with MailKit, or, when no server is set, writes it as
/// an .eml file to the data folder's outbox (any mail program opens those).
/// </summary>
public sealed class MailTransport(DataFolder dataFolder, TimeProvider time, ILogger<MailTransport> logger)
{
    /// <summary>How long one connection or command may take.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Sends the message; returns where it went. Throws what the server or the disk said.</summary>
    public async Task<string> SendAsync(MimeMessage message, MailSettings settings, CancellationToken cancellationToken = default)
    {
        if (!settings.UsesSmtp)
        {
            return await WriteFileAsync(message, cancellationToken);
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var security = settings.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
        if (settings.UserName.Length > 0)
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, cancellationToken);
        }

        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        logger.LogInformation("Email {MessageId} sent through {Server}.", message.MessageId, settings.Host);
        return $"SMTP {settings.Host}";
    }

    private async Task<string> WriteFileAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataFolder.OutboxPath);
        var id = (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0];
        var name = $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{id}.eml";
        var path = Path.Combine(dataFolder.OutboxPath, name);
        var temporary = path + ".tmp";
        await message.WriteToAsync(temporary, cancellationToken);
        // A reader never sees half a file: the complete message appears under its final name at once.
        File.Move(temporary, path, overwrite: true);
        logger.LogInformation("Email {MessageId} written to the outbox folder as {FileName} (no SMTP server is set).", message.MessageId, name);
        return name;
    }
}
