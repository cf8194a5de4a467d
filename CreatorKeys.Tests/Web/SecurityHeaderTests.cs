using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web;

/// <summary>The hardening headers on every kind of response: pages, the health probe, Hangfire, downloads, errors.</summary>
public sealed class SecurityHeaderTests
{
    [Fact]
    public async Task EveryKindOfResponse_CarriesTheHardeningHeaders()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);
        using var anonymous = app.NewHttpClient();

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["sign-in page"] = await anonymous.GetAsync("account/sign-in"),
            ["health probe"] = await anonymous.GetAsync("healthz"),
            ["anonymous redirect"] = await anonymous.GetAsync("vault"),
            ["app page"] = await client.Http.GetAsync("vault"),
            ["hangfire"] = await client.Http.GetAsync("hangfire"),
            ["report download"] = await client.Http.GetAsync("reports/inventory.csv"),
            ["activity download"] = await client.Http.GetAsync("activity/export.csv"),
            ["not found"] = await client.Http.GetAsync("no-such-page"),
        };

        Assert.Equal(HttpStatusCode.OK, responses["app page"].StatusCode);
        Assert.Equal(HttpStatusCode.OK, responses["hangfire"].StatusCode);
        foreach (var (name, response) in responses)
        {
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{name}: no CSP");
            var policy = csp!.Single().Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);
            Assert.Equal("frame-ancestors 'none'", policy["frame-ancestors"]);
            Assert.Equal("script-src 'self'", policy["script-src"]);
            Assert.Equal("default-src 'self'", policy["default-src"]);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            response.Dispose();
        }
    }

    [Fact]
    public async Task OverHttps_TheAppSendsHstsAndEveryCookieIsSecureHttpOnlyAndStrict()
    {
        using var folder = new TempFolder();
        var certificate = Path.Combine(folder.Path, "localhost.pfx");
        WriteSelfSignedCertificate(certificate, "test-password");
        using var app = AppHost.Start(settings: new Dictionary<string, string?>
        {
            ["urls"] = "https://127.0.0.1:0",
            ["Kestrel:Certificates:Default:Path"] = certificate,
            ["Kestrel:Certificates:Default:Password"] = "test-password",
            // The host name below; by default the app answers only to its public address and loopback names.
            ["AllowedHosts"] = "vault.example.test",
        });
        Assert.Equal("https", app.BaseAddress.Scheme);
        using var client = new PageClient(app.BaseAddress, trustSelfSignedCertificate: true);
        // HSTS is never sent to "localhost" or a loopback address (a developer's machine); a real host name gets it.
        client.Http.DefaultRequestHeaders.Host = "vault.example.test";

        var form = await client.GetAsync("account/sign-up");
        var signUp = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(TestAccounts.Email));
        var page = await client.GetAsync("account/emergency-kit");

        Assert.Equal("/account/emergency-kit", signUp.Location);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        foreach (var response in new[] { form, signUp, page })
        {
            Assert.StartsWith("max-age=", response.Headers["Strict-Transport-Security"].Single(), StringComparison.Ordinal);
        }

        var cookies = form.SetCookies.Concat(signUp.SetCookies).ToList();
        Assert.Contains(cookies, c => c.StartsWith("__Host-CreatorKeys.Session=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("__Host-CreatorKeys.Antiforgery=", StringComparison.Ordinal));
        foreach (var cookie in cookies)
        {
            var flags = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(f => f.ToLowerInvariant()).ToList();
            Assert.True(flags.Contains("secure") && flags.Contains("httponly") && flags.Contains("samesite=strict"), $"Cookie without the right flags: {cookie.Split('=')[0]} ({string.Join("; ", flags)})");
        }
    }

    [Fact]
    public async Task OverPlainHttp_ThereIsNoHsts_UnlessALocalProxySaysTheRequestWasHttps()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["AllowedHosts"] = "vault.example.test" });
        using var client = app.NewHttpClient();
        using var viaProxy = app.NewHttpClient();

        using var direct = new HttpRequestMessage(HttpMethod.Get, "account/sign-up");
        direct.Headers.Host = "vault.example.test";
        using var directResponse = await client.SendAsync(direct);
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "account/sign-up");
        proxied.Headers.Host = "vault.example.test";
        proxied.Headers.Add("X-Forwarded-Proto", "https");
        using var proxiedResponse = await viaProxy.SendAsync(proxied);

        Assert.False(directResponse.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(directResponse.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        Assert.True(proxiedResponse.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(proxiedResponse.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    private static void WriteSelfSignedCertificate(string path, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=vault.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("vault.example.test");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
    }
}
