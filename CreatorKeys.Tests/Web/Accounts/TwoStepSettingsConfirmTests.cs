using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>The two-step settings page (a static form page) asks "confirm it's you" before it shows the app's key or any switch.</summary>
public sealed class TwoStepSettingsConfirmTests
{
    [Fact]
    public async Task TwoStepPage_AsksForThePasswordFirst_ThenShowsTheSetUp_ForTenMinutes()
    {
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time);
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);

        var first = await client.GetAsync("account/two-step");
        Assert.NotNull(first.Document.QuerySelector("input#confirm-password[type='password']"));
        Assert.Contains("will not ask again for 10 minutes", first.Html, StringComparison.Ordinal);
        Assert.Null(first.Document.QuerySelector("[data-testid='authenticator-key']"));

        var wrong = await client.SubmitAsync("account/two-step", "two-step-confirm", new Dictionary<string, string> { ["Confirm.Password"] = "not my password at all" });
        Assert.Contains("That is not your password.", string.Join(" ", wrong.MessagesNextTo("confirm-password")), StringComparison.Ordinal);
        Assert.Null(wrong.Document.QuerySelector("[data-testid='authenticator-key']"));
        Assert.False(session.IsConfirmed);

        var right = await client.SubmitAsync("account/two-step", "two-step-confirm", new Dictionary<string, string> { ["Confirm.Password"] = TestAccounts.Password });
        Assert.NotNull(right.Document.QuerySelector("[data-testid='authenticator-key']"));
        Assert.DoesNotContain(TestAccounts.Password, right.Html, StringComparison.Ordinal);
        Assert.True(session.IsConfirmed);

        time.Advance(VaultSession.ConfirmationWindow);
        Assert.Null((await client.GetAsync("account/two-step")).Document.QuerySelector("[data-testid='authenticator-key']"));
    }
}
