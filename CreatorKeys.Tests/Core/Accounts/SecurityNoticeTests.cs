using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CreatorKeys.Tests.Core.Accounts;

/// <summary>Security changes email the account in plain words (when, from where, what to do), never with a secret in them.</summary>
public sealed class SecurityNoticeTests
{
    private const string Passphrase = "lantern orbit pickle meadow";
    private static readonly RequestOrigin Phone = new("203.0.113.77", "Mozilla/5.0 (iPhone) Safari");

    [Fact]
    public async Task NewEmergencyKit_SendsAPlainEmailThroughTheMailServer_WithoutTheCode()
    {
        await using var smtp = TestSmtpServer.Start();
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?>(smtp.AppSettings()));
        var (_, session, firstCode) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);

        var newCode = await host.WithAccountsAsync(a => a.IssueNewRecoveryCodeAsync(session, Phone));
        await host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        var message = Assert.Single(await smtp.WaitForMessagesAsync(1));
        Assert.Equal("A new CreatorKeys emergency kit was made", message.Subject);
        Assert.Equal(TestAccounts.Email, message.To.Mailboxes.Single().Address);
        Assert.Contains("The previous code no longer works.", message.TextBody);
        Assert.Contains($"When: {host.Time.GetUtcNow().UtcDateTime.ToString("d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture)} UTC", message.TextBody);
        Assert.Contains("From network address: 203.0.113.77", message.TextBody);
        Assert.Contains("If you did not do this", message.TextBody);
        AssertNoSecret(message, newCode, firstCode, RecoveryCode.Normalize(newCode)!, TestAccounts.Password);
    }

    [Fact]
    public async Task BackupDownloaded_And_PasswordChanged_AreWrittenToTheOutboxFolder_WithoutAnySecret()
    {
        await using var host = await CoreHost.StartAsync();
        var (_, session, _) = await host.SignUpAsync();
        var value = TestAccounts.NewKeyValue();
        await host.AddKeyAsync(session, value);
        await host.Services.ConfirmItsYouAsync(session);

        Assert.True((await host.Services.GetRequiredService<BackupService>().CreateAsync(session, Passphrase, Phone)).Succeeded);
        Assert.True((await host.WithAccountsAsync(a => a.ChangePasswordAsync(session, TestAccounts.Password, TestAccounts.NewPassword, Phone))).Succeeded);
        await host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        var messages = await Task.WhenAll(Directory.GetFiles(host.DataFolder.OutboxPath, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
        Assert.Equal(
            ["A backup of your CreatorKeys vault was downloaded", "Your CreatorKeys password was changed"],
            messages.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.All(messages, m => AssertNoSecret(m, value, Passphrase, TestAccounts.Password, TestAccounts.NewPassword));
    }

    [Fact]
    public async Task SignIn_FromAnAddressNotSeenBefore_SendsOneEmail_AndAKnownAddressNone()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, _, _) = await host.SignUpAsync();
        var activity = host.Services.GetRequiredService<ActivityService>();
        var notices = host.Services.GetRequiredService<SecurityNoticeService>();

        async Task SignInFromAsync(RequestOrigin origin)
        {
            await activity.RecordAsync(account.Id, ActivityAction.SignedIn, origin);
            await notices.NoteSignInAsync(account.Id, origin);
        }

        await SignInFromAsync(TestAccounts.Origin);
        await SignInFromAsync(Phone);
        await SignInFromAsync(Phone);
        await SignInFromAsync(TestAccounts.Origin);

        var outbox = await host.Services.GetRequiredService<OutboxService>().GetStatusAsync(account.Id);
        var entry = Assert.Single(outbox.Recent);
        Assert.Equal("New sign-in to CreatorKeys from an address not seen before", entry.Subject);
    }

    private static void AssertNoSecret(MimeMessage message, params string[] secrets)
    {
        var whole = message.ToString();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, whole, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, message.TextBody ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain(secret, message.HtmlBody ?? "", StringComparison.Ordinal);
        }
    }
}
