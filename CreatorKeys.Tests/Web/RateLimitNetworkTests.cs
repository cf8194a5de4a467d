using System.Net;
using CreatorKeys.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RateLimiting = CreatorKeys.Web.RateLimiting;

namespace CreatorKeys.Tests.Web;

/// <summary>The account forms' rate limit counts an IPv6 client by its /64, the block one home or server gets.</summary>
public sealed class RateLimitNetworkTests
{
    [Theory]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:2:ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8:1:2::10", "2001:db8:1:3::10", false)]
    [InlineData("203.0.113.7", "::ffff:203.0.113.7", true)]
    [InlineData("203.0.113.7", "203.0.113.8", false)]
    public void NetworkOf_GroupsIPv6By64_AndIPv4ByAddress(string first, string second, bool same)
    {
        Assert.Equal(same, RateLimiting.NetworkOf(IPAddress.Parse(first)) == RateLimiting.NetworkOf(IPAddress.Parse(second)));
    }

    [Fact]
    public async Task AccountFormPosts_TwoAddressesInOne64_ShareALimit_AnotherNetworkDoesNot()
    {
        await using var app = await StartAsync(limit: 2);
        using var client = app.GetTestClient();

        var first = await PostAsync(client, "2001:db8:aa:1::1");
        var second = await PostAsync(client, "2001:db8:aa:1::2");
        var sameNetwork = await PostAsync(client, "2001:db8:aa:1:9999::3");
        var otherNetwork = await PostAsync(client, "2001:db8:aa:2::1");

        Assert.Equal(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, second);
        Assert.Equal(HttpStatusCode.SeeOther, sameNetwork);
        Assert.Equal(HttpStatusCode.OK, otherNetwork);
    }

    /// <summary>The app's own rate-limiter set-up on a test server; a header stands in for the client's address.</summary>
    private static async Task<WebApplication> StartAsync(int limit)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.Configure<RateLimitOptions>(o => o.SignInAttemptsPerMinute = limit);
        RateLimiting.AddCreatorKeysRateLimiting(builder.Services);
        var app = builder.Build();
        app.Use((context, next) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Client"].ToString());
            return next(context);
        });
        app.UseRateLimiter();
        app.MapPost("/account/sign-in", () => Results.Ok()).RequireRateLimiting(RateLimiting.AccountForms);
        await app.StartAsync();
        return app;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in");
        request.Headers.Add("X-Test-Client", address);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
