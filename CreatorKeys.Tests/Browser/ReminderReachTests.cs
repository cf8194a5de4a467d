using System.Globalization;
using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 24 §2: a creator can tell whether reminders reach them (the Settings card, the banner while no mail
/// server is set), the install's own settings wait under a closed Advanced section, and dates show in the
/// browser's time zone in the form the Activity filters read back; on a phone, Activity is a feed by day.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReminderReachTests(BrowserFixture browser)
{
    private const string Advanced = "Advanced — for whoever runs this CreatorKeys";

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task NoMailServer_BannerOnDashboardAndNotifications_GoesOnceOneIsSet(int width)
    {
        await using var smtp = TestSmtpServer.Start();
        using var app = AppHost.Start(time: RunningClock.OnOneDate());
        await using var context = await browser.NewContextAsync(app.BaseAddress, width);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(NoMailServer_BannerOnDashboardAndNotifications_GoesOnceOneIsSet)}-{width}", async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);

            // Dashboard and Notifications say plainly that reminders do not reach the inbox yet.
            await page.GotoAsync("/");
            await page.WaitForInteractiveAsync();
            var banner = page.GetByTestId("reminder-banner");
            await Assertions.Expect(banner).ToContainTextAsync("Reminder emails are off.");
            // The sentences keep their space ("… under Notifications. Turn on email reminders: …").
            await Assertions.Expect(banner).ToContainTextAsync("under Notifications. Turn on email reminders:");
            await Assertions.Expect(banner.GetByRole(AriaRole.Link, new() { Name = "Turn on email reminders" })).ToBeVisibleAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"reach-dashboard-banner-{width}");
            await page.GotoAsync("notifications");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("reminder-banner")).ToContainTextAsync("Reminder emails are off.");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());

            // Settings opens with the card; the install's settings wait, closed, under Advanced.
            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 2, NameRegex = new Regex("^Email reminders to ") }))
                .ToHaveTextAsync($"Email reminders to {TestAccounts.Email}: Off");
            var mailHeading = page.GetByRole(AriaRole.Heading, new() { Name = "Email (SMTP)" });
            await Assertions.Expect(mailHeading).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByTestId("key-ring-warning")).ToBeHiddenAsync();
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync($"reach-settings-{width}");

            // Advanced opens from the keyboard.
            var summary = page.Locator("summary", new() { HasText = Advanced });
            await summary.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(mailHeading).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("advanced")).ToHaveAttributeAsync("open", "");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(mailHeading).ToBeHiddenAsync();

            // The banner's one step: it lands on the mail server form, opened.
            await page.GotoAsync("/");
            await page.WaitForInteractiveAsync();
            await page.GetByTestId("reminder-banner").GetByRole(AriaRole.Link, new() { Name = "Turn on email reminders" }).ClickAsync();
            await page.WaitForURLAsync(new Regex(@"/settings\?advanced=mail"));
            await Assertions.Expect(mailHeading).ToBeVisibleAsync();
            await page.WaitForInteractiveAsync();
            await page.GetByLabel("Mail server").FillAsync("127.0.0.1");
            await page.GetByLabel("Port").FillAsync(smtp.Port.ToString(CultureInfo.InvariantCulture));
            await page.GetByLabel("Security").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "None (this machine only)", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save email settings" }).ClickAsync();
            await BrowserJourney.ConfirmItsYouAsync(page);
            await Assertions.Expect(page.GetByTestId("mail-result")).ToContainTextAsync("Email settings saved.");
            await Assertions.Expect(page.GetByTestId("email-reminders-state")).ToHaveTextAsync("On");

            // Once mail can be delivered, the banner goes.
            await page.GotoAsync("/");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "What to fix next" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("reminder-banner")).ToHaveCountAsync(0);
            await page.GotoAsync("notifications");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("reminder-banner")).ToHaveCountAsync(0);
            await page.GotoAsync("settings");
            await Assertions.Expect(page.GetByTestId("email-reminders-state")).ToHaveTextAsync("On");

            Assert.Empty(violations);
        });
    }

    [Fact]
    public async Task BrowserInAuckland_DatesShowInItsZone_ActivityFiltersReadThePrintedDays_PhoneShowsDayGroups()
    {
        // Five minutes before midnight in Auckland (about 11:00 UTC): the creator's day changes during the test
        // while UTC's does not, so only the browser's zone gives the days asserted below.
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var aucklandToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, auckland).DateTime);
        var midnight = aucklandToday.AddDays(1).ToDateTime(TimeOnly.MinValue);
        var start = new DateTimeOffset(midnight, auckland.GetUtcOffset(midnight)).AddMinutes(-30);
        var clock = new ShiftedClock(start);
        var settings = new Dictionary<string, string?> { ["CreatorKeys:Vault:AutoLockMinutes"] = "120", ["CreatorKeys:Reminders:TimeZone"] = "UTC" };
        using var app = AppHost.Start(time: clock, settings: settings);
        await using var context = await browser.NewContextAsync(app.BaseAddress, timeZoneId: "Pacific/Auckland");
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(BrowserInAuckland_DatesShowInItsZone_ActivityFiltersReadThePrintedDays_PhoneShowsDayGroups), async () =>
        {
            var violations = new List<string>();
            await BrowserJourney.SignUpAsync(page);
            var signedUp = TimeZoneInfo.ConvertTime(clock.GetUtcNow(), auckland);
            var firstDay = DateOnly.FromDateTime(signedUp.DateTime);
            Assert.Equal(aucklandToday, firstDay);

            // Forty minutes later it is the next day in Auckland (still the same day in UTC); something happens then.
            clock.Advance(TimeSpan.FromMinutes(40));
            var secondDay = firstDay.AddDays(1);
            await page.GotoAsync("settings");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(page.GetByTestId("time-zone")).ToContainTextAsync("your browser's time zone (Pacific/Auckland)");
            await Assertions.Expect(page.GetByTestId("now")).ToHaveTextAsync(new Regex("^" + Regex.Escape(DateText.Day(secondDay, secondDay)) + @", 00:\d\d$"));
            await page.Locator("summary", new() { HasText = Advanced }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send a test email" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("mail-result")).ToBeVisibleAsync();

            // The table prints the sign-up in Auckland time, as people write it.
            await page.GotoAsync("activity");
            await page.WaitForInteractiveAsync();
            var table = page.Locator(".ck-activity-table");
            var printedFirstDay = DateText.Day(firstDay, secondDay);
            var signUpRow = table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Created the account and vault" });
            await Assertions.Expect(signUpRow.GetByRole(AriaRole.Cell).First).ToHaveTextAsync(new Regex("^" + Regex.Escape(printedFirstDay) + @", 23:\d\d$"));
            await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sent a test email" })).ToHaveCountAsync(1);
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("reach-activity-1280");

            // The filter reads the day as printed: up to and including that day is before the test email.
            var to = page.GetByLabel("To (included)");
            await to.FillAsync(printedFirstDay);
            await to.PressAsync("Tab");
            await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sent a test email" })).ToHaveCountAsync(0);
            await Assertions.Expect(signUpRow).ToHaveCountAsync(1);
            await to.FillAsync("");
            await to.PressAsync("Tab");
            var from = page.GetByLabel("From");
            await from.FillAsync(DateText.Day(secondDay, secondDay));
            await from.PressAsync("Tab");
            await Assertions.Expect(signUpRow).ToHaveCountAsync(0);
            await Assertions.Expect(table.GetByRole(AriaRole.Row).Filter(new() { HasText = "Sent a test email" })).ToHaveCountAsync(1);
            await from.FillAsync("the day before");
            await from.PressAsync("Tab");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Type a day the way this page shows them" })).ToBeVisibleAsync();

            // On a phone: a feed grouped by day, newest first, instead of the table.
            await page.SetViewportSizeAsync(390, 844);
            await page.GotoAsync("activity");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(table).ToBeHiddenAsync();
            var days = page.GetByTestId("activity-day");
            await Assertions.Expect(days).ToHaveTextAsync(["Today", "Yesterday"]);
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = $"Activity on {DateText.Day(secondDay, secondDay)}" })).ToContainTextAsync("Sent a test email");
            await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = $"Activity on {printedFirstDay}" })).ToContainTextAsync("Created the account and vault");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("reach-activity-390");

            Assert.Empty(violations);
        });
    }

    /// <summary>A clock that runs at real speed from a chosen moment and can be moved forward (timers keep working).</summary>
    private sealed class ShiftedClock(DateTimeOffset start) : TimeProvider
    {
        private readonly long _started = global::System.Diagnostics.Stopwatch.GetTimestamp();
        private TimeSpan _shift;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public void Advance(TimeSpan by) => _shift += by;

        public override DateTimeOffset GetUtcNow() => start + _shift + global::System.Diagnostics.Stopwatch.GetElapsedTime(_started);
    }
}
