using System.Net;
using System.Net.Sockets;
using AngleSharp.Html.Parser;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Network;

/// <summary>
/// Behind a reverse proxy (the README's Caddy recipe): forwarded headers are believed from trusted
/// proxies only, cookies over HTTPS are Secure and __Host- prefixed, and the host names answered to
/// follow the public address. A proxy at 127.0.0.2 and a stranger at 127.0.0.3 are both this machine.
/// </summary>
public sealed class ProxyAndCookieTests
{
    private const string ProxyAddress = "127.0.0.2";
    private const string StrangerAddress = "127.0.0.3";
    private const string ClientAddress = "203.0.113.7";

    private static readonly Dictionary<string, string?> TrustOnlyTheProxy = new()
    {
        ["CreatorKeys:Network:TrustedProxies:0"] = ProxyAddress,
    };

    [Fact]
    public async Task SignUp_ThroughTrustedProxyOverHttps_SecureHostPrefixedCookies_AndTheClientsAddressRecorded()
    {
        using var app = AppHost.Start(settings: TrustOnlyTheProxy);
        using var browser = new ForwardingBrowser(app.BaseAddress, ProxyAddress);

        var signUp = await browser.SignUpAsync();

        Assert.Equal(HttpStatusCode.Found, signUp.StatusCode);
        Assert.Equal("/account/emergency-kit", signUp.Headers.Location?.AbsolutePath);
        Assert.Contains("__Host-CreatorKeys.Session", browser.CookieNames);
        Assert.Contains("__Host-CreatorKeys.Antiforgery", browser.CookieNames);
        Assert.DoesNotContain(browser.CookieNames, name => !name.StartsWith("__Host-", StringComparison.Ordinal));
        foreach (var cookie in browser.SetCookies)
        {
            var flags = Flags(cookie);
            Assert.True(flags.Contains("secure") && flags.Contains("path=/") && flags.Contains("httponly") && flags.Contains("samesite=strict") && !flags.Any(f => f.StartsWith("domain=", StringComparison.Ordinal)),
                $"{cookie.Split('=')[0]}: {string.Join("; ", flags)}");
        }

        Assert.Equal(ClientAddress, await SignUpAddressAsync(app));
        // The prefixed cookie is what the app reads back over HTTPS: the kit page opens with it.
        using var kit = await browser.GetAsync("account/emergency-kit");
        Assert.Equal(HttpStatusCode.OK, kit.StatusCode);
    }

    [Fact]
    public async Task SignUp_FromUntrustedAddressClaimingHttps_IsTakenAsPlainHttpFromThatAddress()
    {
        using var app = AppHost.Start(settings: TrustOnlyTheProxy);
        using var browser = new ForwardingBrowser(app.BaseAddress, StrangerAddress);

        var signUp = await browser.SignUpAsync();

        Assert.Equal(HttpStatusCode.Found, signUp.StatusCode);
        Assert.Contains("CreatorKeys.Session", browser.CookieNames);
        Assert.DoesNotContain(browser.CookieNames, name => name.StartsWith("__Host-", StringComparison.Ordinal));
        Assert.DoesNotContain(browser.SetCookies, cookie => Flags(cookie).Contains("secure"));
        Assert.Equal(StrangerAddress, await SignUpAddressAsync(app));
    }

    [Fact]
    public async Task HttpsPublicAddress_CookiesAreSecureAndHostPrefixed_EvenOnAPlainRequest()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Email:BaseAddress"] = "https://vault.example.test" });
        using var client = app.NewHttpClient();

        using var page = await client.GetAsync("account/sign-up");

        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("__Host-CreatorKeys.Antiforgery=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("secure", Flags(c)));
    }

    [Fact]
    public async Task OverHttps_AnUnprefixedCookie_IsIgnored()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);
        var session = client.Cookies.GetCookies(app.BaseAddress)["CreatorKeys.Session"]!.Value;
        using var http = app.NewHttpClient();

        // The same session cookie under its plain name, on a request a loopback proxy says came over HTTPS
        // (as one planted over plain HTTP or by a sibling site would arrive).
        using var request = new HttpRequestMessage(HttpMethod.Get, "vault");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("Cookie", $"CreatorKeys.Session={session}");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Contains("/account/sign-in", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.BadRequest)]
    [InlineData("creatorkeys.evil.example", HttpStatusCode.BadRequest)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("[::1]", HttpStatusCode.OK)]
    public async Task DefaultInstall_AnswersOnlyToLoopbackNames(string host, HttpStatusCode expected)
    {
        using var app = AppHost.Start();

        Assert.Equal(expected, await StatusForHostAsync(app, host));
    }

    [Fact]
    public async Task PublicAddress_ItsHostIsAnswered_OthersAreNot()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Email:BaseAddress"] = "http://vault.example.test:8080" });

        Assert.Equal(HttpStatusCode.OK, await StatusForHostAsync(app, "vault.example.test"));
        Assert.Equal(HttpStatusCode.OK, await StatusForHostAsync(app, "localhost"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusForHostAsync(app, "evil.example"));
    }

    [Fact]
    public async Task AllowedHostsSet_WinsOverThePublicAddress()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "vault.example.test;other.example.test" });

        Assert.Equal(HttpStatusCode.OK, await StatusForHostAsync(app, "other.example.test"));
        Assert.Equal(HttpStatusCode.BadRequest, await StatusForHostAsync(app, "127.0.0.1"));
    }

    [Fact]
    public void TrustedProxies_NotAnAddress_StopsTheAppAtStart()
    {
        var error = Assert.ThrowsAny<Exception>(() => AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Network:TrustedProxies:0"] = "my-proxy" }));

        Assert.Contains("TrustedProxies", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusForHostAsync(AppHost app, string host)
    {
        using var client = app.NewHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "healthz");
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static List<string> Flags(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();

    private static async Task<string?> SignUpAddressAsync(AppHost app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Set<ActivityEntry>().Where(e => e.Action == ActivityAction.SignedUp).Select(e => e.IpAddress).SingleAsync();
    }

    /// <summary>
    /// A browser behind a proxy that says the request came over HTTPS from <see cref="ClientAddress"/>.
    /// It connects from <paramref name="localAddress"/> and keeps cookies by hand, since .NET's cookie jar
    /// (rightly) never sends a Secure cookie over the plain connection this test uses.
    /// </summary>
    private sealed class ForwardingBrowser(Uri baseAddress, string localAddress) : IDisposable
    {
        private static readonly HtmlParser Parser = new();
        private readonly Dictionary<string, string> _jar = new(StringComparer.Ordinal);
        private readonly HttpClient _http = new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = baseAddress };

        public List<string> SetCookies { get; } = [];

        public IEnumerable<string> CookieNames => SetCookies.Select(c => c.Split('=')[0]).Distinct();

        public async Task<HttpResponseMessage> GetAsync(string path) => await SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public async Task<HttpResponseMessage> SignUpAsync()
        {
            using var page = await GetAsync("account/sign-up");
            var document = Parser.ParseDocument(await page.Content.ReadAsStringAsync());
            var form = document.QuerySelectorAll("form").Single(f => f.QuerySelector("input[name='_handler'][value='sign-up']") is not null);
            var fields = form.QuerySelectorAll("input[type='hidden']").ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
            foreach (var (name, value) in AppHostExtensions.SignUpFields())
            {
                fields[name] = value;
            }

            return await SendAsync(new HttpRequestMessage(HttpMethod.Post, "account/sign-up") { Content = new FormUrlEncodedContent(fields) });
        }

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            using (request)
            {
                request.Headers.Add("X-Forwarded-Proto", "https");
                request.Headers.Add("X-Forwarded-For", ClientAddress);
                if (_jar.Count > 0)
                {
                    request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => $"{c.Key}={c.Value}")));
                }

                var response = await _http.SendAsync(request);
                foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
                {
                    SetCookies.Add(cookie);
                    var pair = cookie.Split(';')[0];
                    var separator = pair.IndexOf('=', StringComparison.Ordinal);
                    _jar[pair[..separator]] = pair[(separator + 1)..];
                }

                return response;
            }
        }

        public void Dispose() => _http.Dispose();
    }
}
