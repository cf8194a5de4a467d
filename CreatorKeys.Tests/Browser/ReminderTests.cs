using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>Rotation reminders as a creator meets them: check now, the bell, the email, the link back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReminderTests(BrowserFixture browser)
{
    [Fact]
    public async Task CheckNow_ProdKeyRotated85DaysAgo_NotifiesInTheAppAndByEmail()
    {
        await using var smtp = TestSmtpServer.Start();
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        var settings = new Dictionary<string, string?>(smtp.AppSettings()) { ["CreatorKeys:Reminders:TimeZone"] = "UTC" };
        using var app = AppHost.Start(time: time, settings: settings);
        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(CheckNow_ProdKeyRotated85DaysAgo_NotifiesInTheAppAndByEmail), async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            var value = TestAccounts.NewKeyValue();
            await BrowserJourney.AddKeyAsync(page, "OpenAI", "PROD", value);
            await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^PROD — OpenAI — Created ") }).First.WaitForAsync();

            // 85 days later the creator comes back (the vault locked itself long ago) and signs in.
            time.Advance(TimeSpan.FromDays(85));
            // The open vault page notices the lock and sends the creator to sign in; waiting for that
            // keeps the test's own navigation from racing the app's (the race aborted the test's).
            await page.WaitForURLAsync(new Regex(@"/account/sign-in\?reason=idle$"));
            var due = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(5);
            await BrowserJourney.SignInAsync(page);
            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Notifications, none unread" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("mail-mode")).ToContainTextAsync("through 127.0.0.1");

            await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();

            await Assertions.Expect(page.GetByTestId("check-result")).ToHaveTextAsync($"1 new reminder found and emailed to {TestAccounts.Email}. They are also under Notifications.");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Notifications, 1 unread" })).ToBeVisibleAsync();
            var message = Assert.Single(await smtp.WaitForMessagesAsync(1));
            Assert.Equal($"1 API key due for rotation soon — first: PROD OpenAI on {due:d MMM yyyy}", message.Subject);
            Assert.DoesNotContain(value, message.TextBody + message.HtmlBody, StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("outbox")).ToContainTextAsync("sent");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("reminders-1-settings");

            // The bell leads to the reminder, and the reminder to the key's replacement.
            await page.GetByRole(AriaRole.Link, new() { Name = "Notifications, 1 unread" }).ClickAsync();
            await page.GetByRole(AriaRole.Heading, new() { Name = $"New: PROD OpenAI is due for replacement on {due:d MMM yyyy}" }).WaitForAsync();
            await page.WaitForInteractiveAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("reminders-2-notifications");
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Mark as read: ") }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Notifications, none unread" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Start replacing it: PROD — OpenAI") }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Start the rotation" }).WaitForAsync();
            await page.ScreenshotAsync("reminders-3-replace");

            Assert.Empty(violations);
        });
    }

    [Fact]
    public async Task HangfireDashboard_AnonymousIsSentToSignIn_AccountHolderSeesIt()
    {
        using var app = AppHost.Start();
        using var anonymous = app.NewHttpClient();
        var refused = await anonymous.GetAsync("hangfire");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/sign-in", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        await using var context = await browser.NewContextAsync(app.BaseAddress);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(HangfireDashboard_AnonymousIsSentToSignIn_AccountHolderSeesIt), async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            await page.GotoAsync("hangfire/recurring");
            await Assertions.Expect(page.GetByText("daily-reminder-check")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("outbox-delivery")).ToBeVisibleAsync();
            await page.ScreenshotAsync("hangfire-recurring");
        });
    }
}
