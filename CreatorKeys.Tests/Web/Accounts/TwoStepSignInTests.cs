using System.Net;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>The sign-in forms of an account with two-step sign-in, over plain HTTP with a fake clock.</summary>
public sealed class TwoStepSignInTests
{
    [Fact]
    public async Task RightPassword_OpensNoSessionUntilTheCodeIsRight()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        await SignUpAndSignOutAsync(app);
        var key = await app.EnableTwoStepAsync();
        time.Advance(TimeSpan.FromSeconds(30));
        using var client = PageClient.For(app);

        var password = await client.SubmitAsync("account/sign-in?ReturnUrl=%2Fvault", "sign-in", AppHostExtensions.SignInFields());
        Assert.Equal("/account/sign-in/two-step?ReturnUrl=%2Fvault", password.Location);
        Assert.Empty(app.OpenSessions());
        Assert.Equal(1, app.Sessions.HeldCount);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("vault")).StatusCode);

        var wrong = await client.SubmitAsync(password.Location!, "two-step", new Dictionary<string, string> { ["Input.Code"] = "000000" });
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains("That code did not work", wrong.Alert, StringComparison.Ordinal);
        Assert.Empty(app.OpenSessions());

        var right = await client.SubmitAsync(password.Location!, "two-step", new Dictionary<string, string> { ["Input.Code"] = TestAccounts.AuthenticatorCode(key, time.GetUtcNow()) });
        Assert.Equal("/vault", right.Location);
        Assert.Single(app.OpenSessions());
        Assert.Equal(0, app.Sessions.HeldCount);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("vault")).StatusCode);
        var entries = await ActivityAsync(app);
        Assert.Contains(entries, e => e.Action == ActivityAction.SignInFailed && e.TargetName == "Wrong two-step code");
        Assert.Contains(entries, e => e.Action == ActivityAction.SignedIn && e.TargetName == "With an authenticator code");
    }

    [Fact]
    public async Task TheCodeAfterFiveMinutes_FindsTheVaultLockedAgain()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        await SignUpAndSignOutAsync(app);
        await app.EnableTwoStepAsync();
        using var client = PageClient.For(app);
        var password = await client.SubmitAsync("account/sign-in", "sign-in", AppHostExtensions.SignInFields());
        var form = await client.GetAsync(password.Location!);
        Assert.NotNull(form.Document.QuerySelector("input#code"));

        time.Advance(VaultSessionStoreWindow() + TimeSpan.FromSeconds(1));
        var late = await client.GetAsync(password.Location!);

        // The two-step cookie ends with the held vault: no code field any more, only the way back.
        Assert.Null(late.Document.QuerySelector("input#code"));
        Assert.Contains("Please sign in again", late.Alert, StringComparison.Ordinal);
        Assert.Empty(app.OpenSessions());
    }

    [Fact]
    public async Task TwoStepPage_WithoutAPasswordFirst_OnlyOffersToSignIn()
    {
        using var app = AppHost.Start();
        await SignUpAndSignOutAsync(app);
        using var client = PageClient.For(app);

        var page = await client.GetAsync("account/sign-in/two-step");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Null(page.Document.QuerySelector("input#code"));
        Assert.Contains("sign in again", page.Alert, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RecoveryCode_SignsIn_ThenThePageSaysHowManyAreLeft()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        await SignUpAndSignOutAsync(app);
        await app.EnableTwoStepAsync();
        using var client = PageClient.For(app);
        var password = await client.SubmitAsync("account/sign-in", "sign-in", AppHostExtensions.SignInFields());

        var codes = await NewRecoveryCodesAsync(app);

        var signedIn = await client.SubmitAsync(password.Location!, "two-step", new Dictionary<string, string> { ["Input.Code"] = codes[0].ToLowerInvariant() });
        Assert.Equal("/account/two-step?used=recovery-code", signedIn.Location);
        var settings = await client.GetAsync(signedIn.Location!);
        Assert.Contains("You signed in with a recovery code; 9 left.", settings.StatusMessage, StringComparison.Ordinal);
    }

    /// <summary>The enable step's codes were shown once; a fresh set, as the settings page makes them.</summary>
    private static async Task<IReadOnlyList<string>> NewRecoveryCodesAsync(AppHost app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<CreatorKeys.Core.Accounts.Account>>();
        var account = await users.FindByEmailAsync(TestAccounts.Email);
        var session = app.Sessions.Open(CreatorKeys.Core.Accounts.AccountService.Unlock(account!, TestAccounts.Password), emergencyKitPending: false);
        try
        {
            await app.Services.ConfirmItsYouAsync(session);
            var outcome = await scope.ServiceProvider.GetRequiredService<CreatorKeys.Core.Accounts.TwoFactorService>().NewRecoveryCodesAsync(account!, session, TestAccounts.Origin);
            Assert.True(outcome.Succeeded, outcome.Error);
            return outcome.RecoveryCodes;
        }
        finally
        {
            app.Sessions.Lock(session.Id, CreatorKeys.Core.Vault.VaultLockReason.SignedOut);
        }
    }

    private static TimeSpan VaultSessionStoreWindow() => CreatorKeys.Core.Vault.VaultSessionStore.SecondStepWindow;

    private static async Task SignUpAndSignOutAsync(AppHost app)
    {
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);
        app.Sessions.LockAccount(app.AccountId(TestAccounts.Email), CreatorKeys.Core.Vault.VaultLockReason.SignedOut);
    }

    private static async Task<List<ActivityEntry>> ActivityAsync(AppHost app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Activity.AsNoTracking().ToListAsync();
    }
}
