using System.Net;
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
            Assert.Contains("frame-ancestors 'none'", csp!.Single(), StringComparison.Ordinal);
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            response.Dispose();
        }
    }
}
