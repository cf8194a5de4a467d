using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CreatorKeys.Tests.Core.Email;

/// <summary>Mail settings, the test email and the no-SMTP outbox folder, against a real SMTP server on loopback.</summary>
public class MailDeliveryTests
{
    /// <summary>The database these tests run on; <see cref="MailDeliveryTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private const string SmtpUser = "creator";
    private const string SmtpPassword = "mail-server-password-71";

    [Fact]
    public async Task NoSmtpServer_DigestIsWrittenAsAnEmlFile_ThatMailProgramsOpen()
    {
        await using var host = await CoreHost.StartAsync(Provider);
        var (_, session, _) = await host.SignUpAsync();
        await host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — old", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(host.Time.GetUtcNow().AddDays(-91))), TestAccounts.Origin, acceptShapeWarning: true);

        await host.Services.GetRequiredService<ReminderService>().CheckAsync();
        var report = await host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        Assert.Equal(new DeliveryReport(1, 0), report);
        var file = Assert.Single(Directory.GetFiles(host.DataFolder.OutboxPath));
        Assert.EndsWith(".eml", file);
        var message = await MimeMessage.LoadAsync(file);
        Assert.StartsWith("1 API key needs rotating — 1 overdue: PROD OpenAI", message.Subject);
        Assert.Contains("PROD — OpenAI — old", message.TextBody);
        Assert.Equal(MailSettingsSource.None, (await host.Services.GetRequiredService<MailSettingsService>().GetAsync()).Source);
    }

    [Fact]
    public async Task TestEmail_ArrivesThroughTheServer_WithTheRightCredentials()
    {
        await using var smtp = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?>(smtp.AppSettings(SmtpUser, SmtpPassword)));

        var result = await host.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal($"Sent to {TestAccounts.Email} through 127.0.0.1. Check your inbox (and the spam folder).", result.Message);
        var message = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("CreatorKeys test email", message.Subject);
    }

    [Fact]
    public async Task TestEmail_WrongPassword_SaysSoInPlainWords_AndNeverShowsThePassword()
    {
        await using var smtp = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        const string wrong = "not-the-password-9876";
        await using var host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?>(smtp.AppSettings(SmtpUser, wrong)));

        var result = await host.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email);

        Assert.False(result.Succeeded);
        Assert.Equal("The mail server refused the user name or password.", result.Message);
        Assert.DoesNotContain(wrong, result.Message);
        Assert.Empty(smtp.Messages);
    }

    [Fact]
    public async Task TestEmail_NothingListening_SaysTheConnectionWasRefused()
    {
        var smtp = TestSmtpServer.Start();
        var settings = new Dictionary<string, string?>(smtp.AppSettings());
        await smtp.DisposeAsync();
        await using var host = await CoreHost.StartAsync(Provider, settings);

        var result = await host.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email);

        Assert.False(result.Succeeded);
        Assert.Equal($"The mail server at 127.0.0.1:{smtp.Port} refused the connection. Check the port, and that the server is running.", result.Message);
    }

    [Fact]
    public async Task SettingsPage_SavedSettingsWin_AndThePasswordIsStoredOnlyEncrypted()
    {
        await using var smtp = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var host = await CoreHost.StartAsync(Provider);
        var (_, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var mail = host.Services.GetRequiredService<MailSettingsService>();

        var errors = await mail.SaveAsync(session, new MailSettingsInput
        {
            Host = "127.0.0.1",
            Port = smtp.Port,
            Security = SmtpSecurity.None,
            UserName = SmtpUser,
            Password = SmtpPassword,
            FromAddress = "Keys <keys@example.test>",
        });

        Assert.Empty(errors);
        var settings = await mail.GetAsync();
        Assert.Equal((MailSettingsSource.SettingsPage, SmtpPassword), (settings.Source, settings.Password));
        Assert.DoesNotContain(SmtpPassword, settings.ToString());
        await using (var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.MailSettings.SingleAsync();
            Assert.NotEqual("", stored.ProtectedPassword);
            Assert.DoesNotContain(SmtpPassword, stored.ProtectedPassword);
        }

        if (Provider == DatabaseProvider.Sqlite)
        {
            // The file itself (PostgreSQL's storage is the server's; the stored row above is what it holds).
            Assert.DoesNotContain(SmtpPassword, await File.ReadAllTextAsync(host.DataFolder.DatabasePath + "-wal") + await File.ReadAllTextAsync(host.DataFolder.DatabasePath));
        }

        var sent = await host.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email);
        Assert.True(sent.Succeeded, sent.Message);
        Assert.Equal("keys@example.test", (await smtp.WaitForMessagesAsync(1)).Single().From.Mailboxes.Single().Address);

        // Saving again with a blank password keeps the saved one.
        await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, UserName = SmtpUser });
        Assert.Equal(SmtpPassword, (await mail.GetAsync()).Password);
    }

    [Theory]
    [InlineData("", 587, "", "Host")]
    [InlineData("https://smtp.example.com", 587, "", "Host")]
    [InlineData("smtp.example.com", 0, "", "Port")]
    [InlineData("smtp.example.com", 70000, "", "Port")]
    [InlineData("smtp.example.com", 587, "not an address", "FromAddress")]
    public async Task SettingsPage_BadInput_GetsAMessage_AndChangesNothing(string host, int port, string from, string field)
    {
        await using var core = await CoreHost.StartAsync(Provider);
        var (_, session, _) = await core.SignUpAsync();
        await core.Services.ConfirmItsYouAsync(session);
        var mail = core.Services.GetRequiredService<MailSettingsService>();

        var errors = await mail.SaveAsync(session, new MailSettingsInput { Host = host, Port = port, FromAddress = from, Password = "x" });

        Assert.True(errors.ContainsKey(field), string.Join(", ", errors.Keys));
        Assert.Equal(MailSettingsSource.None, (await mail.GetAsync()).Source);
    }

    [Fact]
    public async Task SettingsPage_OnlyTheFirstAccountMayChangeTheMailServer()
    {
        await using var core = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (_, admin, _) = await core.SignUpAsync();
        core.Time.Advance(TimeSpan.FromMinutes(1));
        var (_, other, _) = await core.SignUpAsync(TestAccounts.OtherEmail);
        await core.Services.ConfirmItsYouAsync(admin);
        await core.Services.ConfirmItsYouAsync(other);
        var mail = core.Services.GetRequiredService<MailSettingsService>();

        var refused = await mail.SaveAsync(other, new MailSettingsInput { Host = "smtp.attacker.example", Port = 587 });
        var reset = await mail.ResetAsync(other);

        Assert.Equal(MailSettingsService.NotAdmin, refused[nameof(MailSettingsInput.Host)]);
        Assert.False(reset);
        Assert.Equal(MailSettingsSource.None, (await mail.GetAsync()).Source);
        Assert.Empty(await mail.SaveAsync(admin, new MailSettingsInput { Host = "smtp.example.com", Port = 587 }));
        Assert.Equal("smtp.example.com", (await mail.GetAsync()).Host);
    }
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class MailDeliveryTestsOnPostgreSql : MailDeliveryTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
