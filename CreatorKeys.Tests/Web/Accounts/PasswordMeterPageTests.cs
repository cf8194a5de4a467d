using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>The sign-up form over HTTP: an easy password is refused with zxcvbn's advice and a strength meter.</summary>
public sealed class PasswordMeterPageTests : IDisposable
{
    private readonly AppHost _app = AppHost.Start();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task SignUp_Password1234_IsRefusedWithAdviceAndAMeter_AndNothingIsCreated()
    {
        using var client = PageClient.For(_app);

        var page = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(password: "password1234"));

        Assert.Contains(page.MessagesNextTo("password"), m => m.StartsWith("This password is too easy to guess.", StringComparison.Ordinal));
        var meter = page.Document.QuerySelector("meter[aria-label='Password strength']");
        Assert.NotNull(meter);
        Assert.Equal("0", meter!.GetAttribute("value"));
        Assert.Contains("Very weak", page.Document.QuerySelector("[data-testid='password-meter']")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("password1234", page.Html, StringComparison.Ordinal);
        Assert.Equal(0, _app.AccountCount());
    }
}
