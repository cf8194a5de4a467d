using System.Net;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>The statically rendered account pages, driven over HTTP against the real app.</summary>
public sealed class AccountPagesTests : IDisposable
{
    private readonly AppHost _app = AppHost.Start();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Root_OnANewInstall_LeadsToSignUp()
    {
        using var client = PageClient.For(_app);

        var root = await client.GetAsync("/");
        var signIn = await client.GetAsync(root.Location!);

        Assert.StartsWith("/account/sign-in", root.Location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, signIn.Status);
        Assert.EndsWith("/account/sign-up", signIn.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignUp_ShortPassword_MessageNextToFieldAndNothingCreated()
    {
        using var client = PageClient.For(_app);

        var page = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(password: "short pw"));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.MessagesNextTo("password"), m => m.Contains("at least 12 characters", StringComparison.Ordinal));
        Assert.Equal(0, _app.AccountCount());
        Assert.DoesNotContain("short pw", page.Html, StringComparison.Ordinal);
        Assert.Equal("", page.Document.GetElementById("password")!.GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task SignUp_MismatchedConfirmation_MessageNextToConfirmationAndNothingCreated()
    {
        using var client = PageClient.For(_app);

        var page = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(confirm: "a different long password"));

        Assert.Contains("The two passwords are not the same.", page.MessagesNextTo("confirm-password"));
        Assert.Equal(0, _app.AccountCount());
    }

    [Fact]
    public async Task SignUp_BadEmailAndUnticked_ExplainsEachAndNothingCreated()
    {
        using var client = PageClient.For(_app);

        var page = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(email: "not-an-email", understood: false));

        Assert.Contains("That does not look like an email address.", page.MessagesNextTo("email"));
        Assert.Contains("Tick this box to confirm you understand.", page.Html, StringComparison.Ordinal);
        Assert.Equal(0, _app.AccountCount());
    }

    [Fact]
    public async Task SignUp_Valid_SignsInAndHoldsOnEmergencyKitUntilConfirmed()
    {
        using var client = PageClient.For(_app);

        var response = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var vault = await client.GetAsync("vault");
        var kit = await client.GetAsync("account/emergency-kit");

        Assert.Equal(HttpStatusCode.Found, response.Status);
        Assert.Equal("/account/emergency-kit", response.Location);
        Assert.Equal(1, _app.AccountCount());
        Assert.EndsWith("/account/emergency-kit", vault.Location, StringComparison.Ordinal);
        var code = kit.Document.QuerySelector("[data-testid='recovery-code']")!.TextContent.Trim();
        Assert.NotNull(RecoveryCode.Normalize(code));
    }

    [Fact]
    public async Task SignUp_WhenTheInstallHasItsAccount_IsClosed()
    {
        using (var first = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(first);
        }

        using var second = PageClient.For(_app);
        var page = await second.GetAsync("account/sign-up");

        Assert.Contains("Sign-up is closed", page.StatusMessage, StringComparison.Ordinal);
        Assert.Null(page.Document.QuerySelector("input[name='Input.Password']"));
        Assert.Equal(1, _app.AccountCount());
    }

    [Fact]
    public async Task SignIn_WrongPassword_ClearMessageAndNoCookie()
    {
        using (var owner = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(_app);
        var page = await client.SignInThroughFormAsync(password: "wrong password here");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("That email and password do not match", page.Alert, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong password here", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("vault")).Status);
    }

    [Fact]
    public async Task SignIn_RepeatedFailures_LockOutEvenTheRightPassword()
    {
        using (var owner = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(_app);
        for (var attempt = 1; attempt < 5; attempt++)
        {
            var wrong = await client.SignInThroughFormAsync(password: $"wrong password {attempt}");
            Assert.Contains("do not match", wrong.Alert, StringComparison.Ordinal);
        }

        var fifth = await client.SignInThroughFormAsync(password: "wrong password 5");
        var right = await client.SignInThroughFormAsync();

        Assert.Contains("Too many wrong attempts", fifth.Alert, StringComparison.Ordinal);
        Assert.Contains("paused for 15 minutes", right.Alert, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.Status);
    }

    [Fact]
    public async Task SignIn_RightPassword_UnlocksVaultAndRedirectsHome()
    {
        using (var owner = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(_app);
        var page = await client.SignInThroughFormAsync();

        Assert.Equal(HttpStatusCode.Found, page.Status);
        Assert.Equal("/", page.Location);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("vault")).Status);
        Assert.Equal(2, _app.OpenSessions().Count);
    }

    [Fact]
    public async Task SignIn_ReturnUrlToAnotherSite_StaysOnThisSite()
    {
        using (var owner = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(_app);
        var page = await client.SubmitAsync("account/sign-in?returnUrl=https://evil.example/steal", "sign-in", AppHostExtensions.SignInFields());

        Assert.DoesNotContain("evil.example", page.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_LocksTheVaultAndEndsTheCookie()
    {
        using var client = PageClient.For(_app);
        var session = await _app.SignUpThroughFormAsync(client);

        var response = await client.PostWithTokenAsync("settings", "account/sign-out");
        var after = await client.GetAsync("vault");

        Assert.Equal("/account/sign-in?reason=signed-out", response.Location);
        Assert.True(session.IsLocked);
        Assert.Throws<VaultLockedException>(() => session.Vault);
        Assert.Empty(_app.OpenSessions());
        Assert.Equal(HttpStatusCode.Found, after.Status);
        Assert.Contains("/account/sign-in", after.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = PageClient.For(_app);
        var session = await _app.SignUpThroughFormAsync(client);

        using var response = await client.Http.PostAsync("account/sign-out", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(session.IsLocked);
    }

    [Fact]
    public async Task Recover_WithCode_SetsNewPasswordKeepsValuesAndShowsNewKit()
    {
        using var owner = PageClient.For(_app);
        var response = await owner.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var firstCode = (await owner.GetAsync("account/emergency-kit")).Document.QuerySelector("[data-testid='recovery-code']")!.TextContent.Trim();
        var session = _app.OpenSessions().Single();
        var value = TestAccounts.NewKeyValue();
        var key = await _app.AddKeyAsync(session, value);

        using var client = PageClient.For(_app);
        var recovered = await client.SubmitAsync("account/recover", "recover", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.Email,
            ["Input.RecoveryCode"] = firstCode,
            ["Input.NewPassword"] = TestAccounts.NewPassword,
            ["Input.ConfirmPassword"] = TestAccounts.NewPassword,
        });
        var kit = await client.GetAsync(recovered.Location!.TrimStart('/'));

        Assert.Equal("/account/emergency-kit", response.Location);
        Assert.Equal("/account/emergency-kit?after=recovery", recovered.Location);
        // After a recovery the kit page says why replacing the vault key may be wanted, and where.
        Assert.Contains("replace your vault key", kit.Document.QuerySelector("[data-testid='offer-replace-vault-key']")!.TextContent, StringComparison.Ordinal);
        var newCode = kit.Document.QuerySelector("[data-testid='recovery-code']")!.TextContent.Trim();
        Assert.NotEqual(firstCode, newCode);
        var newSession = _app.OpenSessions().Single(s => s.Id != session.Id);
        await _app.Services.ConfirmItsYouAsync(newSession, TestAccounts.NewPassword);
        Assert.Equal(value, await _app.Services.GetRequiredService<VaultService>().RevealAsync(newSession, key.Id, TestAccounts.Origin));
        Assert.Contains("do not match", (await PageClient.For(_app).SignInThroughFormAsync()).Alert, StringComparison.Ordinal);
        // Whoever was signed in with the old password is locked out at once.
        Assert.True(session.IsLocked);
        Assert.Equal(HttpStatusCode.Found, (await owner.GetAsync("vault")).Status);
    }

    [Fact]
    public async Task Recover_WrongCode_MessageNextToCodeAndNothingChanged()
    {
        using (var owner = PageClient.For(_app))
        {
            await _app.SignUpThroughFormAsync(owner);
        }

        using var client = PageClient.For(_app);
        var page = await client.SubmitAsync("account/recover", "recover", new Dictionary<string, string>
        {
            ["Input.Email"] = TestAccounts.Email,
            ["Input.RecoveryCode"] = RecoveryCode.Generate(),
            ["Input.NewPassword"] = TestAccounts.NewPassword,
            ["Input.ConfirmPassword"] = TestAccounts.NewPassword,
        });

        Assert.Contains(page.MessagesNextTo("recovery-code"), m => m.Contains("do not match", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Found, (await PageClient.For(_app).SignInThroughFormAsync()).Status);
    }

    [Fact]
    public async Task ChangePassword_Valid_KeepsThisSessionAndLocksOtherBrowsers()
    {
        using var client = PageClient.For(_app);
        var session = await _app.SignUpThroughFormAsync(client);
        using var otherBrowser = PageClient.For(_app);
        await otherBrowser.SignInThroughFormAsync();
        var otherSession = _app.OpenSessions().Single(s => s.Id != session.Id);

        var page = await client.SubmitAsync("account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = TestAccounts.Password,
            ["Input.NewPassword"] = TestAccounts.NewPassword,
            ["Input.ConfirmPassword"] = TestAccounts.NewPassword,
        });

        Assert.Contains("Your password is changed", page.StatusMessage, StringComparison.Ordinal);
        Assert.False(session.IsLocked);
        Assert.True(otherSession.IsLocked);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("vault")).Status);
        var locked = await otherBrowser.GetAsync("vault");
        Assert.Equal(HttpStatusCode.Found, locked.Status);
        using var fresh = PageClient.For(_app);
        Assert.Contains("do not match", (await fresh.SignInThroughFormAsync()).Alert, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Found, (await fresh.SignInThroughFormAsync(password: TestAccounts.NewPassword)).Status);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrent_MessageNextToFieldAndNothingChanged()
    {
        using var client = PageClient.For(_app);
        await _app.SignUpThroughFormAsync(client);

        var page = await client.SubmitAsync("account/password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = "not my current one",
            ["Input.NewPassword"] = TestAccounts.NewPassword,
            ["Input.ConfirmPassword"] = TestAccounts.NewPassword,
        });

        Assert.Contains("That is not your current password.", page.MessagesNextTo("current-password"));
        using var fresh = PageClient.For(_app);
        Assert.Equal(HttpStatusCode.Found, (await fresh.SignInThroughFormAsync()).Status);
    }
}
