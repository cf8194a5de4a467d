using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// A real SMTP server (the SmtpServer library) on a loopback port, started by the test. It
/// keeps every message it receives; stop it and start it again on the same port to test an
/// outage. Plain SMTP, so the app connects with security "None".
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _messages = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly (string User, string Password)? _credentials;
    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    private TestSmtpServer(int port, (string, string)? credentials)
    {
        Port = port;
        _credentials = credentials;
    }

    public int Port { get; }

    public IReadOnlyList<MimeMessage> Messages => [.. _messages];

    /// <summary>Starts a server on a free loopback port; with credentials it requires AUTH.</summary>
    public static TestSmtpServer Start(string? user = null, string? password = null)
    {
        var server = new TestSmtpServer(FreePort(), user is null ? null : (user, password ?? ""));
        server.StartAgain();
        return server;
    }

    /// <summary>Settings that point the app at this server.</summary>
    public IReadOnlyDictionary<string, string?> AppSettings(string? user = null, string? password = null) => new Dictionary<string, string?>
    {
        ["CreatorKeys:Email:Smtp:Host"] = "127.0.0.1",
        ["CreatorKeys:Email:Smtp:Port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["CreatorKeys:Email:Smtp:Security"] = "None",
        ["CreatorKeys:Email:Smtp:UserName"] = user ?? "",
        ["CreatorKeys:Email:Smtp:Password"] = password ?? "",
    };

    public void StartAgain()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("localhost")
            .Endpoint(e =>
            {
                e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port));
                if (_credentials is not null)
                {
                    e.AuthenticationRequired().AllowUnsecureAuthentication();
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        if (_credentials is { } credentials)
        {
            services.Add(new Authenticator(credentials.User, credentials.Password));
        }

        _stop = new CancellationTokenSource();
        _server = new SmtpServer.SmtpServer(options, services);
        _running = _server.StartAsync(_stop.Token);
        WaitUntilListening();
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgain"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is null)
        {
            return;
        }

        _server.Shutdown();
        await _stop!.CancelAsync();
        try
        {
            await _running!.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _server = null;
    }

    /// <summary>Waits until at least <paramref name="count"/> messages have arrived in total.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (_messages.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"Expected {count} message(s) at the test SMTP server, got {_messages.Count}.");
            }
        }

        return Messages;
    }

    /// <summary>Waits until a message that matches has arrived (others may arrive before or after it).</summary>
    public async Task<MimeMessage> WaitForMessageAsync(Func<MimeMessage, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (Messages.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new TimeoutException($"No matching message at the test SMTP server; it has: {string.Join(" | ", Messages.Select(m => m.Subject))}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _arrived.Dispose();
    }

    private void WaitUntilListening()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Yield();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Store(TestSmtpServer owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            owner._messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            owner._arrived.Release();
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(string user, string password) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user1, string password1, CancellationToken cancellationToken) =>
            Task.FromResult(user1 == user && password1 == password);
    }
}
