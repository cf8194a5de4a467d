using System.Net;
using CreatorKeys.Tests.Infrastructure;

namespace CreatorKeys.Tests.Web.Accounts;

/// <summary>Bad input in the account forms (posted as a browser without JavaScript would): a message next to the field, no account, no session, the app still answering.</summary>
public sealed class AccountFormBadInputTests
{
    public static TheoryData<string, string, string, string> BadSignUps => new()
    {
        { "over-long email", new string('a', 300) + "@example.com", TestAccounts.Password, "email" },
        { "empty email", "", TestAccounts.Password, "email" },
        { "email with a direction override", "creator\u202E@example.com", TestAccounts.Password, "email" },
        { "email with a NUL", "creator\0@example.com", TestAccounts.Password, "email" },
        { "email with script", "<script>alert(1)</script>@example.com", TestAccounts.Password, "email" },
        { "over-long password", TestAccounts.Email, new string('p', 5000), "password" },
        { "empty password", TestAccounts.Email, "", "password" },
        { "short emoji password", TestAccounts.Email, "🔑🔑🔑🔑", "password" },
    };

    [Theory]
    [MemberData(nameof(BadSignUps))]
    public async Task SignUp_WithBadInput_ShowsAMessageByTheField_AndCreatesNothing(string kind, string email, string password, string field)
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);

        var page = await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields(email, password));

        if (email.Contains('\0', StringComparison.Ordinal))
        {
            // The framework refuses to read a form with a NUL in it (400). A browser cannot type one into a field.
            Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.True(page.MessagesNextTo(field).Count > 0, $"{kind}: no message next to {field}");
        }

        Assert.DoesNotContain("<script>alert(1)", page.Html, StringComparison.Ordinal);
        Assert.Equal(0, app.AccountCount());
        Assert.Empty(app.OpenSessions());
        // The app still works: the right input signs up.
        Assert.Equal("/account/emergency-kit", (await client.SubmitAsync("account/sign-up", "sign-up", AppHostExtensions.SignUpFields())).Location);
    }

    [Theory]
    [InlineData("creator@example.com\u0000")]
    [InlineData("")]
    [InlineData("\u200Bcreator@example.com")]
    public async Task SignIn_AndRecovery_WithBadInput_AnswerWithAMessage(string email)
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);
        using var visitor = PageClient.For(app);

        var signIn = await visitor.SubmitAsync("account/sign-in", "sign-in", AppHostExtensions.SignInFields(email, new string('x', 3000)));
        var recover = await visitor.SubmitAsync("account/recover", "recover", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.RecoveryCode"] = "\u202EABCD-1234" + new string('9', 200),
            ["Input.NewPassword"] = "a new password that is long",
            ["Input.ConfirmPassword"] = "a new password that is long",
        });

        foreach (var answer in new[] { signIn, recover })
        {
            if (email.Contains('\0', StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, answer.Status);
                Assert.True(answer.Alert is not null || answer.MessagesNextTo("email").Count > 0 || answer.Document.QuerySelectorAll(".validation-message").Length > 0);
            }
        }

        Assert.Single(app.OpenSessions());
    }
}
