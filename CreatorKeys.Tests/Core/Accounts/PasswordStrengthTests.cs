using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Accounts;

/// <summary>zxcvbn at sign-up, password change and recovery: easy guesses are refused with advice, whatever their length.</summary>
public sealed class PasswordStrengthTests
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("qwertyuiopasdf")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("iloveyou2024!!")]
    [InlineData("creatorkeys12345")]
    [InlineData("creator@example.com1")]
    public void Evaluate_EasyGuesses_ScoreBelowThree_WithAWarningOrAdvice(string password)
    {
        var strength = PasswordStrength.Evaluate(password, [TestAccounts.Email]);

        Assert.False(strength.IsStrongEnough, $"{password} scored {strength.Score}");
        Assert.NotEmpty(strength.Suggestions);
        Assert.StartsWith("This password is too easy to guess.", strength.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(password, strength.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("password1234", "This is similar to a commonly used password.")]
    [InlineData("qwertyuiop", "This is one of the 100 most common passwords.")]
    [InlineData("creator@example.com1", "Your email address and the name CreatorKeys are among the first things someone would try.")]
    [InlineData("abcdefghijklmnop", "Sequences like “abc” or “6543” are easy to guess.")]
    public void Evaluate_SaysWhatIsWrong_InPlainWords(string password, string warning)
    {
        Assert.Equal(warning, PasswordStrength.Evaluate(password, [TestAccounts.Email]).Warning);
    }

    [Theory]
    [InlineData(TestAccounts.Password)]
    [InlineData(TestAccounts.NewPassword)]
    [InlineData("nine lively otters sing")]
    public void Evaluate_AFewUnrelatedWords_AreStrongEnough(string password)
    {
        var strength = PasswordStrength.Evaluate(password, [TestAccounts.Email]);

        Assert.True(strength.IsStrongEnough, $"{password} scored {strength.Score}");
        Assert.Null(strength.Warning);
    }

    [Fact]
    public void Evaluate_TheEmailCounts_AsAnEasyGuess()
    {
        const string password = "orbitalpenguin@studio.example";

        Assert.True(PasswordStrength.Evaluate(password, []).IsStrongEnough);
        Assert.False(PasswordStrength.Evaluate(password, ["orbitalpenguin@studio.example"]).IsStrongEnough);
    }

    [Fact]
    public async Task SignUp_Password1234_IsRefusedNextToThePassword_AndNoAccountIsMade()
    {
        await using var host = await CoreHost.StartAsync();

        var outcome = await host.WithAccountsAsync(a => a.SignUpAsync(TestAccounts.Email, "password1234", TestAccounts.Origin));

        Assert.False(outcome.Succeeded);
        Assert.StartsWith("This password is too easy to guess.", outcome.Errors[AccountService.PasswordField], StringComparison.Ordinal);
        Assert.False(await host.WithAccountsAsync(a => a.AnyAccountExistsAsync()));
    }

    [Fact]
    public async Task ChangePassword_ToAWeakOne_IsRefused_AndTheOldPasswordStillWorks()
    {
        await using var host = await CoreHost.StartAsync();
        var (account, session, _) = await host.SignUpAsync();

        var outcome = await host.WithAccountsAsync(a => a.ChangePasswordAsync(session, TestAccounts.Password, "password1234", TestAccounts.Origin));

        Assert.StartsWith("This password is too easy to guess.", outcome.Errors[AccountService.NewPasswordField], StringComparison.Ordinal);
        using var unlocked = AccountService.Unlock(await LoadAsync(host, account.Id), TestAccounts.Password);
        Assert.False(unlocked.IsLocked);
    }

    [Fact]
    public async Task Recovery_WithAWeakPassword_IsRefused_AndTheRecoveryCodeStillWorks()
    {
        await using var host = await CoreHost.StartAsync();
        var (_, _, code) = await host.SignUpAsync();

        var weak = await host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, code, "creatorkeys2026", TestAccounts.Origin));
        var strong = await host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, code, TestAccounts.NewPassword, TestAccounts.Origin));

        Assert.StartsWith("This password is too easy to guess.", weak.Errors[AccountService.NewPasswordField], StringComparison.Ordinal);
        Assert.True(strong.Succeeded, string.Join(" ", strong.Errors.Values));
        strong.Vault!.Dispose();
    }

    private static async Task<Account> LoadAsync(CoreHost host, string id)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(a => a.Id == id);
    }
}
