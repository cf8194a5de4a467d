using System.Net;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>"Sign out everywhere" (Settings, or the sign-in page just after signing out) locks every browser of the account.</summary>
public sealed class SignOutEverywhereTests
{
    [Fact]
    public async Task FromSettings_LocksTheOtherBrowser_AndChangesTheSecurityStamp()
    {
        using var app = AppHost.Start();
        using var laptop = PageClient.For(app);
        using var phone = PageClient.For(app);
        var laptopSession = await app.SignUpThroughFormAsync(laptop);
        Assert.Equal(HttpStatusCode.Found, (await phone.SignInThroughFormAsync()).Status);
        var phoneSession = app.OpenSessions().Single(s => s.Id != laptopSession.Id);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("vault")).Status);
        var stampBefore = await SecurityStampAsync(app);

        var response = await laptop.PostWithTokenAsync("settings", "account/sign-out-everywhere");
        var phoneAfter = await phone.GetAsync("vault");
        var laptopAfter = await laptop.GetAsync("vault");

        Assert.Equal("/account/sign-in?reason=signed-out-everywhere", response.Location);
        Assert.True(phoneSession.IsLocked);
        Assert.True(laptopSession.IsLocked);
        Assert.Empty(app.OpenSessions());
        Assert.Equal(HttpStatusCode.Found, phoneAfter.Status);
        Assert.Contains("/account/sign-in", phoneAfter.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, laptopAfter.Status);
        Assert.NotEqual(stampBefore, await SecurityStampAsync(app));
        var notice = await phone.GetAsync(phoneAfter.Location!);
        Assert.Contains("signed out everywhere", notice.StatusMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AfterSigningOut_TheSignInPageOffersIt_AndItLocksTheOtherBrowser()
    {
        using var app = AppHost.Start();
        using var laptop = PageClient.For(app);
        using var phone = PageClient.For(app);
        var laptopSession = await app.SignUpThroughFormAsync(laptop);
        Assert.Equal(HttpStatusCode.Found, (await phone.SignInThroughFormAsync()).Status);

        var signedOut = await phone.PostWithTokenAsync("settings", "account/sign-out");
        var page = await phone.GetAsync(signedOut.Location!);
        Assert.NotNull(page.Document.QuerySelector("[data-testid='sign-out-everywhere-offer'] form[action='account/sign-out-everywhere']"));
        Assert.False(laptopSession.IsLocked);

        var response = await phone.PostWithTokenAsync(signedOut.Location!, "account/sign-out-everywhere");

        Assert.Equal("/account/sign-in?reason=signed-out-everywhere", response.Location);
        Assert.True(laptopSession.IsLocked);
        Assert.Equal(VaultLockReason.SignedOutEverywhere, app.Sessions.WhyClosed(laptopSession.Id));
        Assert.Equal(HttpStatusCode.Found, (await laptop.GetAsync("vault")).Status);
    }

    [Fact]
    public async Task WithoutASignInOrARecentSignOut_NothingIsLocked()
    {
        using var app = AppHost.Start();
        using var owner = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(owner);
        using var stranger = PageClient.For(app);

        var plainSignIn = await stranger.GetAsync("account/sign-in?reason=signed-out");
        var response = await stranger.PostWithTokenAsync("account/sign-in?reason=signed-out", "account/sign-out-everywhere");

        Assert.Null(plainSignIn.Document.QuerySelector("[data-testid='sign-out-everywhere-offer']"));
        Assert.Equal("/account/sign-in", response.Location);
        Assert.False(session.IsLocked);
    }

    [Fact]
    public async Task WithoutAntiforgeryToken_IsRefused()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);

        using var response = await client.Http.PostAsync("account/sign-out-everywhere", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(session.IsLocked);
    }

    private static async Task<string?> SecurityStampAsync(AppHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        return await users.GetSecurityStampAsync((await users.FindByEmailAsync(TestAccounts.Email))!);
    }
}
