using System.Net;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web;

/// <summary>ASP.NET Core's rate limiter on the account forms, and the per-account download limit, over HTTP.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task SignInPosts_PastTheLimit_ComeBackWithAMessage_AndAreNeitherCheckedNorCounted()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:RateLimits:SignInAttemptsPerMinute"] = "4" });
        using (var owner = PageClient.For(app))
        {
            // The sign-up post is one of the four.
            await app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(app);
        var wrong = AppHostExtensions.SignInFields(password: "not the right password");
        var answers = new List<PageClient.PageResponse>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await client.SubmitAsync("account/sign-in?ReturnUrl=%2Fvault", "sign-in", wrong));
        }

        var refused = await client.SubmitAsync("account/sign-in?ReturnUrl=%2Fvault", "sign-in", AppHostExtensions.SignInFields());

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(HttpStatusCode.SeeOther, refused.Status);
        Assert.Equal("/account/sign-in?ReturnUrl=%2Fvault&limited=1", refused.Location);
        var page = await client.GetAsync(refused.Location!);
        Assert.Contains("Too many tries from your network", page.Document.QuerySelector("[data-testid='rate-limited']")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("form"));
        // The refused post never reached the password check: three failures, no sign-in, no lockout.
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().SingleAsync();
        Assert.Equal(3, account.AccessFailedCount);
        Assert.Equal(3, await db.Activity.CountAsync(e => e.Action == ActivityAction.SignInFailed));
        Assert.Single(app.OpenSessions());
        // Reading the page is never limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("account/recover")).Status);
    }

    [Fact]
    public async Task Downloads_PastTheLimit_Answer429WithAPageSayingWhatToDo()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:RateLimits:ExportsPerMinute"] = "2" });
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        using var csv = await client.Http.GetAsync("reports/inventory.csv");
        using var log = await client.Http.GetAsync("activity/export.csv");
        using var refused = await client.Http.GetAsync("reports/inventory.json");

        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter is not null);
        Assert.Contains("wait a minute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
    }
}
