using System.Net;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web.Reports;

/// <summary>The report downloads over HTTP: sign-in required, own keys only, bad filters refused.</summary>
public sealed class ReportEndpointTests
{
    [Fact]
    public async Task Download_Anonymous_IsSentToSignIn()
    {
        using var app = AppHost.Start();
        using var client = app.NewHttpClient();

        var response = await client.GetAsync("reports/inventory.csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_ListsOnlyTheSignedInAccountsKeys_AndIsNeverCached()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        using var first = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(first);
        await app.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        using var second = PageClient.For(app);
        await app.SignUpThroughFormAsync(second, TestAccounts.OtherEmail);

        var mine = await first.Http.GetAsync("reports/inventory.csv");
        var theirs = await second.Http.GetAsync("reports/inventory.csv");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal("no-store", mine.Headers.CacheControl?.ToString());
        Assert.Contains("PROD — OpenAI — test", await mine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("PROD — OpenAI — test", await theirs.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reports/inventory.csv?environment=LIVE", "The environment must be DEV, STAGING or PROD.")]
    [InlineData("reports/inventory.json?status=fine", "The status must be current, pending, previous, retired or compromised.")]
    [InlineData("reports/inventory.pdf?dueWithinDays=-3", "\\\"Due within\\\" must be a whole number of days from 0 to 3650.")]
    public async Task Download_BadFilter_SaysWhatIsWrong(string path, string message)
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        var response = await client.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_UnknownFormat_IsNotFound()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        Assert.Equal(HttpStatusCode.NotFound, (await client.Http.GetAsync("reports/inventory.xlsx")).StatusCode);
    }
}
