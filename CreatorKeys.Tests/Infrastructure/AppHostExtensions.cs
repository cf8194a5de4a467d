using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>Shortcuts that drive the running app the way its pages do.</summary>
public static class AppHostExtensions
{
    public static IReadOnlyDictionary<string, string> SignUpFields(string email = TestAccounts.Email, string password = TestAccounts.Password, string? confirm = null, bool understood = true) =>
        new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = confirm ?? password,
            ["Input.Understood"] = understood ? "true" : "false",
        };

    public static IReadOnlyDictionary<string, string> SignInFields(string email = TestAccounts.Email, string password = TestAccounts.Password) =>
        new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password };

    /// <summary>Signs up through the sign-up form and confirms the emergency kit, leaving the client signed in.</summary>
    public static async Task<VaultSession> SignUpThroughFormAsync(this AppHost app, PageClient client, string email = TestAccounts.Email)
    {
        var response = await client.SubmitAsync("account/sign-up", "sign-up", SignUpFields(email));
        Assert.Equal("/account/emergency-kit", response.Location);
        var session = app.OpenSessions().Single(s => s.AccountId == app.AccountId(email));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<AccountService>().ConfirmEmergencyKitSavedAsync(session, session.PendingRecoveryCode!, TestAccounts.Origin));
        return session;
    }

    public static async Task<PageClient.PageResponse> SignInThroughFormAsync(this PageClient client, string email = TestAccounts.Email, string password = TestAccounts.Password) =>
        await client.SubmitAsync("account/sign-in", "sign-in", SignInFields(email, password));

    public static string AccountId(this AppHost app, string email)
    {
        using var db = app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContext();
        return db.Users.Single(u => u.Email == email).Id;
    }

    public static int AccountCount(this AppHost app)
    {
        using var db = app.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContext();
        return db.Users.Count();
    }

    /// <summary>The vault sessions currently open in the app's memory.</summary>
    public static IReadOnlyList<VaultSession> OpenSessions(this AppHost app) =>
        app.Sessions.OpenSessionsForTests();

    public static async Task<KeySummary> AddKeyAsync(this AppHost app, VaultSession session, string value, VaultEnvironment environment = VaultEnvironment.Prod)
    {
        var vault = app.Services.GetRequiredService<VaultService>();
        // A second key of one environment gets a counter: the vault refuses two keys that look the same.
        var label = KeyLabels.Distinct($"{environment.Code()} — OpenAI — test", await vault.ListLabelsAsync(session.AccountId, environment, null, "OpenAI"));
        var result = await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", environment, label, value), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    /// <summary>Turns on two-step sign-in for an account through the real service, with a code made at the app's clock; returns the app's key.</summary>
    public static async Task<string> EnableTwoStepAsync(this AppHost app, string email = TestAccounts.Email) =>
        (await app.EnableTwoStepWithCodesAsync(email)).Key;

    /// <summary>
    /// <see cref="EnableTwoStepAsync"/>, also returning the recovery codes it showed. A session of its own, unlocked with
    /// the password and confirmed as the set-up page asks, then closed: the browser's sessions are left alone.
    /// </summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnableTwoStepWithCodesAsync(this AppHost app, string email = TestAccounts.Email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Account>>();
        var twoFactor = scope.ServiceProvider.GetRequiredService<TwoFactorService>();
        var account = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}.");
        var session = app.Sessions.Open(AccountService.Unlock(account, TestAccounts.Password), emergencyKitPending: false);
        try
        {
            var key = (await twoFactor.GetSetupAsync(account, session.Vault)).Key;
            var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            await app.Services.ConfirmItsYouAsync(session);
            var outcome = await twoFactor.EnableAsync(account, session, TestAccounts.AuthenticatorCode(key, now), TestAccounts.Origin);
            Assert.True(outcome.Succeeded, outcome.Error);
            return (key, outcome.RecoveryCodes);
        }
        finally
        {
            app.Sessions.Lock(session.Id, VaultLockReason.SignedOut);
        }
    }
}
