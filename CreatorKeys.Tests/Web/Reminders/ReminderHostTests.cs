using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Reminders;

/// <summary>The reminder pipeline inside the real app, with Hangfire running, across a restart.</summary>
public sealed class ReminderHostTests
{
    [Fact]
    public async Task RestartBetweenCheckAndSend_TheNextHostSendsTheDigestOnce()
    {
        await using var smtp = TestSmtpServer.Start();
        var settings = new Dictionary<string, string?>(smtp.AppSettings()) { ["CreatorKeys:Reminders:TimeZone"] = "UTC" };
        using var folder = new TempFolder();

        // First host: the server is down, so the check's digest stays in the outbox when the app stops.
        await smtp.StopAsync();
        using (var first = AppHost.Start(folder, settings: settings))
        {
            using var client = PageClient.For(first);
            var session = await first.SignUpThroughFormAsync(client);
            var result = await first.Services.GetRequiredService<VaultService>().AddKeyAsync(
                session,
                new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — old", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(DateTimeOffset.UtcNow.AddDays(-95))),
                TestAccounts.Origin,
                acceptShapeWarning: true);
            Assert.True(result.Succeeded);
            Assert.Equal(1, (await first.Services.GetRequiredService<ReminderService>().CheckAsync()).MessagesQueued);
        }

        // Second host, server back: start-up delivery (and the retry job) sends it; a new check adds nothing.
        smtp.StartAgain();
        using var second = AppHost.Start(folder, settings: settings);
        await MakeDueNowAsync(second);
        var message = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("1 API key needs rotating — 1 overdue: PROD OpenAI", message.Subject);

        Assert.Equal(0, (await second.Services.GetRequiredService<ReminderService>().CheckAsync()).RemindersCreated);
        await second.Services.GetRequiredService<CreatorKeys.Core.Email.OutboxService>().DeliverDueAsync();
        Assert.Single(smtp.Messages);
        await using var db = await second.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var stored = await db.Outbox.SingleAsync();
        Assert.NotNull(stored.SentAt);
        Assert.Equal(1, await db.Reminders.CountAsync());
    }

    [Fact]
    public async Task HangfireDashboard_OnlyTheInstallsFirstAccount_MayOpenIt()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        using var first = PageClient.For(app);
        await app.SignUpThroughFormAsync(first);
        using var second = PageClient.For(app);
        await app.SignUpThroughFormAsync(second, TestAccounts.OtherEmail);

        var admin = await first.GetAsync("hangfire");
        var other = await second.GetAsync("hangfire");

        Assert.Equal(System.Net.HttpStatusCode.OK, admin.Status);
        Assert.Contains("CreatorKeys · background jobs", admin.Html, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, other.Status);
    }

    /// <summary>The failed attempt set a retry a minute away; bring it to now so the test need not wait for the clock.</summary>
    private static async Task MakeDueNowAsync(AppHost app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var now = DateTimeOffset.UtcNow;
        await db.Outbox.ExecuteUpdateAsync(set => set.SetProperty(m => m.NextAttemptAt, now));
        await app.Services.GetRequiredService<CreatorKeys.Core.Email.OutboxService>().DeliverDueAsync();
    }
}
