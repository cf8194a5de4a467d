using CreatorKeys.Core.Email;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Email;

/// <summary>The mail server's password goes only to the server it was typed for, and never over the network unencrypted.</summary>
public sealed class MailPasswordSafetyTests
{
    private const string SmtpUser = "creator";
    private const string SmtpPassword = "mail-server-password-71";

    [Theory]
    [InlineData("host")]
    [InlineData("port")]
    [InlineData("security")]
    [InlineData("user")]
    public async Task Save_ServerChangedWithoutRetyping_ForgetsTheSavedPassword(string change)
    {
        await using var smtp = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var host = await CoreHost.StartAsync();
        var (admin, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var mail = host.Services.GetRequiredService<MailSettingsService>();
        Assert.Empty(await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, UserName = SmtpUser, Password = SmtpPassword }));

        var changed = new MailSettingsInput { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, UserName = SmtpUser };
        switch (change)
        {
            case "host": changed.Host = "localhost"; break;
            case "port": changed.Port = smtp.Port + 1; break;
            case "security": changed.Security = SmtpSecurity.Tls; break;
            default: changed.UserName = "someone-else"; break;
        }

        var outcome = await mail.SaveWithOutcomeAsync(session, changed);

        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        Assert.True(outcome.PasswordForgotten);
        Assert.Equal("", (await mail.GetAsync()).Password);
        Assert.False(await mail.HasSavedPasswordAsync());
    }

    [Fact]
    public async Task Save_SameServer_KeepsThePassword_AndANewPasswordIsTaken()
    {
        await using var host = await CoreHost.StartAsync();
        var (admin, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var mail = host.Services.GetRequiredService<MailSettingsService>();
        await mail.SaveAsync(session, new MailSettingsInput { Host = "smtp.example.com", Port = 587, UserName = SmtpUser, Password = SmtpPassword });

        var same = await mail.SaveWithOutcomeAsync(session, new MailSettingsInput { Host = "SMTP.example.com", Port = 587, UserName = SmtpUser, FromAddress = "keys@example.com" });
        Assert.False(same.PasswordForgotten);
        Assert.Equal(SmtpPassword, (await mail.GetAsync()).Password);

        var moved = await mail.SaveWithOutcomeAsync(session, new MailSettingsInput { Host = "smtp.other.example", Port = 587, UserName = SmtpUser, Password = "the-other-server-password" });
        Assert.False(moved.PasswordForgotten);
        Assert.Equal("the-other-server-password", (await mail.GetAsync()).Password);
    }

    [Fact]
    public async Task TestEmail_AfterMovingToAnotherServer_TheOldPasswordNeverReachesIt()
    {
        // Both servers would accept the same password: if it were sent to the second, the message would arrive there.
        await using var first = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var second = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var host = await CoreHost.StartAsync();
        var (admin, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var mail = host.Services.GetRequiredService<MailSettingsService>();
        var outbox = host.Services.GetRequiredService<OutboxService>();
        await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = first.Port, Security = SmtpSecurity.None, UserName = SmtpUser, Password = SmtpPassword });
        Assert.True((await outbox.SendTestAsync(TestAccounts.Email)).Succeeded);

        await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = second.Port, Security = SmtpSecurity.None, UserName = SmtpUser });
        var result = await outbox.SendTestAsync(TestAccounts.Email);

        Assert.False(result.Succeeded);
        Assert.Equal("The mail server refused the user name or password.", result.Message);
        Assert.Empty(second.Messages);
    }

    [Fact]
    public async Task AppSettingsPassword_IsCarriedOverOnlyForTheSameServer()
    {
        await using var smtp = TestSmtpServer.Start(SmtpUser, SmtpPassword);
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?>(smtp.AppSettings(SmtpUser, SmtpPassword)));
        var (admin, session, _) = await host.SignUpAsync();
        await host.Services.ConfirmItsYouAsync(session);
        var mail = host.Services.GetRequiredService<MailSettingsService>();

        await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = smtp.Port + 1, Security = SmtpSecurity.None, UserName = SmtpUser });
        Assert.Equal("", (await mail.GetAsync()).Password);

        await mail.SaveAsync(session, new MailSettingsInput { Host = "127.0.0.1", Port = smtp.Port, Security = SmtpSecurity.None, UserName = SmtpUser });
        Assert.Equal(SmtpPassword, (await mail.GetAsync()).Password);
    }

    [Fact]
    public async Task TestEmail_NoEncryptionToAServerElsewhere_IsRefusedBeforeThePasswordIsSent()
    {
        // appsettings.json is not checked by the form, so the transport refuses on its own. The name is never even looked up.
        const string elsewhere = "mail.example.test";
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?>
        {
            ["CreatorKeys:Email:Smtp:Host"] = elsewhere,
            ["CreatorKeys:Email:Smtp:Port"] = "25",
            ["CreatorKeys:Email:Smtp:Security"] = "None",
            ["CreatorKeys:Email:Smtp:UserName"] = SmtpUser,
            ["CreatorKeys:Email:Smtp:Password"] = SmtpPassword,
        });

        var result = await host.Services.GetRequiredService<OutboxService>().SendTestAsync(TestAccounts.Email);

        Assert.False(result.Succeeded);
        Assert.Equal(MailSecurity.PlainTextRefusal(elsewhere), result.Message);
        Assert.DoesNotContain(SmtpPassword, result.Message);
    }

    [Theory]
    [InlineData("smtp.example.com", SmtpSecurity.None, "creator", false)]
    [InlineData("192.168.1.20", SmtpSecurity.None, "creator", false)]
    [InlineData("localhost", SmtpSecurity.None, "creator", true)]
    [InlineData("127.0.0.1", SmtpSecurity.None, "creator", true)]
    [InlineData("127.0.1.1", SmtpSecurity.None, "creator", true)]
    [InlineData("smtp.example.com", SmtpSecurity.None, "", true)]
    [InlineData("smtp.example.com", SmtpSecurity.StartTls, "creator", true)]
    [InlineData("smtp.example.com", SmtpSecurity.Tls, "creator", true)]
    public void Validate_SigningInWithoutEncryption_IsOnlyForThisMachine(string server, SmtpSecurity security, string user, bool accepted)
    {
        var errors = new MailSettingsInput { Host = server, Port = 25, Security = security, UserName = user, Password = "x" }.Validate();

        Assert.Equal(accepted, !errors.ContainsKey(nameof(MailSettingsInput.Security)));
    }
}
