using System.Net;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>
/// "Download the kit" is a plain link to <c>account/emergency-kit/download</c>, so it works before the page is
/// live. The file holds a recovery code, so the address must give it only to the session it was issued to,
/// only while it waits to be saved, and never to a cache.
/// </summary>
public sealed class EmergencyKitDownloadTests : IDisposable
{
    private const string Download = "account/emergency-kit/download";

    private readonly AppHost _app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Download_WhileTheKitIsShown_IsTheShownCodeAsAnUncachedFile()
    {
        using var client = PageClient.For(_app);
        await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var kitPage = await client.GetAsync("account/emergency-kit");
        var shownCode = ShownCode(kitPage);

        using var response = await client.Http.GetAsync(Download);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Download, kitPage.Document.QuerySelector("a[download]")?.GetAttribute("href"));
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("CreatorKeys-emergency-kit.txt", response.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.True(response.Headers.CacheControl?.NoStore, "the kit may be kept by a cache");
        Assert.Contains($"RECOVERY CODE:  {shownCode}", text, StringComparison.Ordinal);
        Assert.Contains(TestAccounts.Email, text, StringComparison.Ordinal);
        Assert.Contains($"{_app.BaseAddress}account/recover", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_AfterTheKitIsSaved_IsGone()
    {
        using var client = PageClient.For(_app);
        await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var code = ShownCode(await client.GetAsync("account/emergency-kit"));
        var session = _app.OpenSessions().Single();
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccountService>().ConfirmEmergencyKitSavedAsync(session, code, TestAccounts.Origin));
        }

        using var response = await client.Http.GetAsync(Download);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(code, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_SignedOut_SendsToSignInWithoutTheCode()
    {
        using var owner = PageClient.For(_app);
        await owner.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var code = ShownCode(await owner.GetAsync("account/emergency-kit"));
        using var stranger = PageClient.For(_app);

        using var response = await stranger.Http.GetAsync(Download);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location?.IsAbsoluteUri == true ? response.Headers.Location.PathAndQuery : response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(code, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_TwoAccountsWithKitsWaiting_EachGetsOnlyItsOwnCode()
    {
        using var a = PageClient.For(_app);
        using var b = PageClient.For(_app);
        await a.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields("a@example.com"));
        await b.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields("b@example.com"));
        var codeOfA = ShownCode(await a.GetAsync("account/emergency-kit"));
        var codeOfB = ShownCode(await b.GetAsync("account/emergency-kit"));

        var kitOfA = await a.Http.GetStringAsync(Download);
        var kitOfB = await b.Http.GetStringAsync(Download);

        Assert.NotEqual(codeOfA, codeOfB);
        Assert.Contains(codeOfA, kitOfA, StringComparison.Ordinal);
        Assert.Contains(codeOfB, kitOfB, StringComparison.Ordinal);
        Assert.DoesNotContain(codeOfA, kitOfB, StringComparison.Ordinal);
        Assert.DoesNotContain("a@example.com", kitOfB, StringComparison.Ordinal);
    }

    private static string ShownCode(PageClient.PageResponse kitPage) =>
        kitPage.Document.QuerySelector("[data-testid='recovery-code']")!.TextContent.Trim();
}
