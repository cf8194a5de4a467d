using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace CreatorKeys.Core.Email;

/// <summary>Turns what went wrong talking to a mail server into one plain sentence for the settings page.</summary>
public static class MailErrors
{
    public static string Describe(Exception exception, MailSettings settings)
    {
        var server = $"{settings.Host}:{settings.Port}";
        var message = exception switch
        {
            InsecureMailServerException insecure => insecure.Message,
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } =>
                $"No mail server called \"{settings.Host}\" was found. Check the server address.",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } =>
                $"The mail server at {server} refused the connection. Check the port, and that the server is running.",
            SocketException socket =>
                $"Could not reach the mail server at {server}: {socket.Message}",
            SslHandshakeException =>
                $"Could not start a secure connection with {server}. Check the security setting: STARTTLS usually goes with port 587, TLS with port 465.",
            MailKit.Security.AuthenticationException =>
                "The mail server refused the user name or password.",
            NotSupportedException when settings.Security == SmtpSecurity.StartTls =>
                $"The mail server at {server} does not offer STARTTLS. Choose TLS (port 465), or None only for a server on this machine.",
            SmtpCommandException command =>
                $"The mail server refused the message ({(int)command.StatusCode}): {command.Message}",
            SmtpProtocolException or ProtocolException =>
                $"The mail server at {server} answered in a way that is not SMTP. Check the port and the security setting.",
            TimeoutException or OperationCanceledException =>
                $"The mail server at {server} did not answer in time.",
            IOException io =>
                $"The connection to {server} broke: {io.Message}",
            _ => $"Sending failed: {exception.Message}",
        };

        // Whatever the server says, the password never goes on a page or into the outbox's error.
        if (settings.HasPassword)
        {
            message = message.Replace(settings.Password, "••••", StringComparison.Ordinal);
        }

        return message.Length > OutboxMessage.MaxErrorLength ? message[..OutboxMessage.MaxErrorLength] : message;
    }
}
