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

        // The mail password never crosses a network readable: without TLS only a server on this machine gets it.
        var signsIn = settings.UserName.Length > 0;
        if (signsIn && settings.Security == SmtpSecurity.None && !MailSecurity.IsLoopback(settings.Host))
        {
            throw new InsecureMailServerException(settings.Host);
        }

        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        var security = settings.Security switch
        {
            SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken);
        if (signsIn)
        {
            if (!client.IsSecure && !MailSecurity.IsLoopback(settings.Host))
            {
                await client.DisconnectAsync(quit: false, cancellationToken);
                throw new InsecureMailServerException(settings.Host);
            }

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

/// <summary>Which mail servers may be sent a password over a connection without TLS: only this machine's.</summary>
public static class MailSecurity
{
    /// <summary>
    /// True for <c>localhost</c> and loopback addresses (127.0.0.0/8, ::1) as typed. A name is not
    /// looked up: a DNS answer could point anywhere.
    /// </summary>
    public static bool IsLoopback(string host)
    {
        var trimmed = host.Trim().TrimStart('[').TrimEnd(']');
        return string.Equals(trimmed, "localhost", StringComparison.OrdinalIgnoreCase)
            || (System.Net.IPAddress.TryParse(trimmed, out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    public static string PlainTextRefusal(string host) =>
        $"CreatorKeys will not send your mail password to {host} without encryption: anyone on the network between could read it. " +
        "Choose STARTTLS (port 587) or TLS (port 465). Security \"None\" is only for a mail server on this machine (localhost or 127.0.0.1).";
}

/// <summary>Refused before signing in: the server is not on this machine and the connection is not encrypted.</summary>
public sealed class InsecureMailServerException(string host) : Exception(MailSecurity.PlainTextRefusal(host));
