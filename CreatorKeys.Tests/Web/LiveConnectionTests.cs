using System.Net.WebSockets;
using System.Text.Json;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web;

/// <summary>The live connection every open page keeps (Blazor's circuit over a WebSocket).</summary>
public sealed class LiveConnectionTests
{
    /// <summary>
    /// Compression would keep a deflate and an inflate state (about 300 KB of native memory) per open
    /// tab for as long as it stays open, and would compress revealed key values together with text
    /// others can influence. A browser offers it on every connection; the app must decline.
    /// </summary>
    [Fact]
    public async Task TheLiveConnection_DeclinesCompression_WhenTheBrowserOffersIt()
    {
        using var app = AppHost.Start();
        using var http = app.NewHttpClient();
        using var negotiated = await http.PostAsync("_blazor/negotiate?negotiateVersion=1", content: null);
        negotiated.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await negotiated.Content.ReadAsStringAsync());
        var token = body.RootElement.GetProperty("connectionToken").GetString();
        Assert.Contains(body.RootElement.GetProperty("availableTransports").EnumerateArray(), t => t.GetProperty("transport").GetString() == "WebSockets");

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        var address = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "_blazor", Query = $"id={Uri.EscapeDataString(token!)}" }.Uri;
        await socket.ConnectAsync(address, CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Sec-WebSocket-Extensions"), "the server agreed to compress the connection");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }
}
