using System.Net;
using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Network;

namespace CreatorKeys.Tests.Web.Network;

/// <summary>A fresh install other computers can reach asks for the setup code from its log on the first sign-up.</summary>
public sealed partial class SetupCodeTests
{
    /// <summary>A public address that is not this machine: a reverse proxy in front of a loopback-only app.</summary>
    private static readonly Dictionary<string, string?> BehindAProxy = new() { ["CreatorKeys:Email:BaseAddress"] = "http://vault.example.test" };

    [Fact]
    public async Task FirstSignUp_ReachableInstall_NeedsTheCodeFromTheLog_AndWithoutItCreatesNothing()
    {
        using var app = AppHost.Start(settings: BehindAProxy);
        using var client = PageClient.For(app);
        var code = SetupCodeFromLog(app);

        var form = await client.GetAsync("account/sign-up");
        var missing = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields());
        var wrong = await client.SubmitAsync("account/sign-up", "sign-up", WithCode(WrongCode(code)));

        Assert.NotNull(form.Document.GetElementById("setup-code"));
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Contains("Type the setup code from the app's log.", missing.MessagesNextTo("setup-code"));
        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Contains(wrong.MessagesNextTo("setup-code"), m => m.StartsWith("That is not the setup code.", StringComparison.Ordinal));
        Assert.Equal(0, app.AccountCount());
        Assert.Empty(app.OpenSessions());
        Assert.DoesNotContain(TestAccounts.Password, wrong.Html, StringComparison.Ordinal);

        // Typed as a person might: lower case, spaces instead of dashes.
        var right = await client.SubmitAsync("account/sign-up", "sign-up", WithCode(code.ToLowerInvariant().Replace('-', ' ')));

        Assert.Equal("/account/emergency-kit", right.Location);
        Assert.Equal(1, app.AccountCount());
    }

    [Fact]
    public async Task SetupCode_IsLoggedOnce_AndNotAskedOnceAnAccountExists()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?>(BehindAProxy) { ["CreatorKeys:Accounts:Registration"] = "Open" });
        using var client = PageClient.For(app);
        var code = SetupCodeFromLog(app);
        Assert.Equal("/account/emergency-kit", (await client.SubmitAsync("account/sign-up", "sign-up", WithCode(code))).Location);

        using var other = PageClient.For(app);
        var secondForm = await other.GetAsync("account/sign-up");
        var second = await other.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(TestAccounts.OtherEmail));

        Assert.Single(app.Logs.Lines, l => l.Contains(code, StringComparison.Ordinal));
        Assert.Null(secondForm.Document.GetElementById("setup-code"));
        Assert.Equal("/account/emergency-kit", second.Location);
    }

    [Fact]
    public async Task WrongSetupCodes_CountTowardTheSignUpRateLimit()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?>(BehindAProxy) { ["CreatorKeys:RateLimits:SignInAttemptsPerMinute"] = "2" });
        using var client = PageClient.For(app);
        var code = SetupCodeFromLog(app);

        await client.SubmitAsync("account/sign-up", "sign-up", WithCode(WrongCode(code)));
        await client.SubmitAsync("account/sign-up", "sign-up", WithCode(WrongCode(code)));
        var third = await client.SubmitAsync("account/sign-up", "sign-up", WithCode(code));

        Assert.Equal(HttpStatusCode.SeeOther, third.Status);
        Assert.Contains("limited=1", third.Location, StringComparison.Ordinal);
        Assert.Equal(0, app.AccountCount());
    }

    [Fact]
    public async Task LoopbackOnlyInstall_KeepsThePlainSignUp_AndLogsNoCode()
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);

        var form = await client.GetAsync("account/sign-up");
        await app.SignUpThroughFormAsync(client);

        Assert.Null(form.Document.GetElementById("setup-code"));
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("setup code", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://127.0.0.1:5080;https://localhost:5443", false)]
    [InlineData("http://0.0.0.0:8080", true)]
    [InlineData("http://+:8080", true)]
    [InlineData("http://*:8080", true)]
    [InlineData("http://[::]:8080", true)]
    [InlineData("http://192.168.1.20:5080", true)]
    [InlineData("http://127.0.0.1:5080;http://vault.lan:5080", true)]
    public void ListensBeyondLoopback_TellsWildcardsAndNetworkAddressesFromLoopback(string urls, bool expected) =>
        Assert.Equal(expected, PublicAddress.ListensBeyondLoopback(urls.Split(';')));

    private static Dictionary<string, string> WithCode(string code) =>
        new(AppHostExtensions.SignUpFields()) { ["Input.SetupCode"] = code };

    private static string WrongCode(string code) => (code[0] == 'A' ? "B" : "A") + code[1..];

    private static string SetupCodeFromLog(AppHost app)
    {
        var line = Assert.Single(app.Logs.Lines, l => l.Contains("one-time setup code", StringComparison.Ordinal));
        return CodePattern().Match(line).Groups[1].Value;
    }

    [GeneratedRegex(@"sign-up page: ([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})")]
    private static partial Regex CodePattern();
}
