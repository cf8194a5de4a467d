using System.Net;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web;

/// <summary>
/// The whole life of a vault with every log category at Trace: sign-up and sign-in over HTTP
/// (a wrong password too), keys stored by hand and from a .env file, revealed and copied, a
/// leak check, a full rotation, two-step sign-in, a reminder emailed through a real SMTP
/// server, every export, and a backup restored into a second account. No secret — key
/// values, passwords, recovery codes, the authenticator key, the backup passphrase — may
/// appear in any log line, nor in the reminder email.
/// </summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task FullFlowAtTrace_WritesNoSecretToAnyLogLine()
    {
        await using var smtp = TestSmtpServer.Start();
        var settings = new Dictionary<string, string?>(AppHost.TraceLogging) { ["CreatorKeys:Accounts:Registration"] = "Open" };
        foreach (var (name, value) in smtp.AppSettings())
        {
            settings[name] = value;
        }

        // A fake OpenRouter on loopback answers the spend reading (issue 21 §3).
        using var openRouter = WireMock.Server.WireMockServer.Start();
        openRouter.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/v1/key").UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200)
                .WithBody("""{"data":{"limit":20,"limit_remaining":2,"limit_reset":"monthly","usage":18,"usage_daily":1,"usage_weekly":5,"usage_monthly":18}}"""));
        settings["CreatorKeys:Providers:openrouter:BaseAddress"] = openRouter.Url + "/";

        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        using var app = AppHost.Start(time: time, settings: settings);
        var secrets = new List<string> { TestAccounts.Password };
        T Service<T>()
            where T : notnull => app.Services.GetRequiredService<T>();

        // Sign up and sign in (a wrong password first) over HTTP.
        using var browser = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(browser);
        secrets.Add(session.PendingRecoveryCode ?? "");
        await app.Services.ConfirmItsYouAsync(session);
        using var second = PageClient.For(app);
        const string WrongPassword = "definitely-not-the-password-123";
        secrets.Add(WrongPassword);
        await second.SubmitAsync("account/sign-in", "sign-in", AppHostExtensions.SignInFields(password: WrongPassword));
        Assert.Equal("/", (await second.SignInThroughFormAsync()).Location);

        // Keys by hand and from a .env file; reveal and copy; a leak check that finds one.
        var values = Enumerable.Range(0, 3).Select(_ => TestAccounts.NewKeyValue()).ToList();
        secrets.AddRange(values);
        var vault = Service<VaultService>();
        var key = (await vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — live", values[0]), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        var import = Service<ImportService>();
        var preview = await import.PrepareAsync(session, $"OPENAI_API_KEY={values[1]}\nANTHROPIC_API_KEY=\"{values[2]}\"\n", VaultEnvironment.Dev);
        Assert.Equal(2, (await import.ImportAsync(session, preview.Candidates, TestAccounts.Origin)).Stored.Count);
        Assert.Equal(values[0], await vault.RevealAsync(session, key.Id, TestAccounts.Origin));
        Assert.Equal(values[0], await vault.CopyAsync(session, key.Id, TestAccounts.Origin));
        var leak = await Service<LeakCheckService>().CheckAsync(session, $"posted by mistake: {values[0]} oops", TestAccounts.Origin);
        Assert.NotEmpty(leak.Yours);

        // A workflow and a whole rotation to a new value.
        await Service<WorkflowService>().SaveAsync(session.AccountId, null, new WorkflowInput("Shorts pipeline", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(key.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        var rotations = Service<RotationService>();
        var rotation = (await rotations.StartAsync(session.AccountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var newValue = TestAccounts.NewKeyValue();
        secrets.Add(newValue);
        Assert.True((await rotations.AddNewKeyAsync(session, rotation.Id, "PROD — OpenAI — new", newValue, TestAccounts.Origin, acceptShapeWarning: true)).Outcome.Succeeded);
        var task = (await rotations.GetAsync(session.AccountId, rotation.Id))!.Tasks.Single();
        await rotations.SetUpdatedAsync(session.AccountId, rotation.Id, task.Id, true, TestAccounts.Origin);
        await rotations.SetTestedAsync(session.AccountId, rotation.Id, task.Id, true, TestAccounts.Origin);
        Assert.True((await rotations.ContinueToRetireAsync(session.AccountId, rotation.Id)).Succeeded);
        Assert.True((await rotations.RetireOldKeyAsync(session.AccountId, rotation.Id, null, TestAccounts.Origin)).Succeeded);
        Assert.True((await rotations.CompleteAsync(session.AccountId, rotation.Id, TestAccounts.Origin)).Succeeded);

        // Two-step sign-in on, then a sign-in with password + code.
        var (authenticatorKey, twoStepCodes) = await app.EnableTwoStepWithCodesAsync();
        secrets.Add(authenticatorKey);
        secrets.AddRange(twoStepCodes);
        time.Advance(TimeSpan.FromSeconds(30));
        using var third = PageClient.For(app);
        var password = await third.SignInThroughFormAsync();
        Assert.Equal("/", (await third.SubmitAsync(password.Location!, "two-step", new Dictionary<string, string> { ["Input.Code"] = TestAccounts.AuthenticatorCode(authenticatorKey, time.GetUtcNow()) })).Location);
        using var fourth = PageClient.For(app);
        var withCode = await fourth.SignInThroughFormAsync();
        Assert.Equal("/account/two-step?used=recovery-code", (await fourth.SubmitAsync(withCode.Location!, "two-step", new Dictionary<string, string> { ["Input.Code"] = twoStepCodes[0] })).Location);

        // Spend read from OpenRouter (at 90% of its limit, so the digest below lists it), and "Check all my keys" reading it again.
        var openRouterValue = "sk-or-v1-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        secrets.Add(openRouterValue);
        var openRouterKey = (await vault.AddKeyAsync(session, new NewKeyInput("OpenRouter", VaultEnvironment.Staging, "STAGING — OpenRouter — spend", openRouterValue, ProviderId: "openrouter", MonthlyCapUsd: 20), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        var spend = Service<CreatorKeys.Core.Providers.Connections.StoredSpend>();
        Assert.True((await spend.ReadAsync(session, openRouterKey.Id, TestAccounts.Origin))!.HasFigures);
        Assert.Single(await spend.ReadAllAsync(session, [openRouterKey], TestAccounts.Origin));
        Assert.True((await spend.LatestAsync(session.AccountId, openRouterKey.Id))!.NearCap);

        // A reminder: the imported keys have no known age, so they are due; the email goes out over SMTP.
        await Service<ReminderService>().CheckAsync();
        await Service<OutboxService>().DeliverDueAsync();
        var emails = await smtp.WaitForMessagesAsync(1);

        // Every export, and a backup restored into a second account.
        foreach (var path in new[] { "reports/inventory.csv", "reports/inventory.json", "reports/inventory.pdf", "activity/export.csv" })
        {
            using var response = await browser.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        const string Passphrase = "backup passphrase nobody may log";
        secrets.Add(Passphrase);
        var backup = await Service<BackupService>().CreateAsync(session, Passphrase, TestAccounts.Origin);
        using var other = PageClient.For(app);
        var otherSession = await app.SignUpThroughFormAsync(other, "second@example.com");
        await app.Services.ConfirmItsYouAsync(otherSession);
        var restored = await Service<BackupService>().RestoreAsync(otherSession, backup.Content!, Passphrase, TestAccounts.Origin);
        Assert.True(restored.Succeeded, restored.Error);

        // A program reads the keys with an access token (the Authorization header carries the token's secret).
        var token = (await Service<CreatorKeys.Core.AccessTokens.AccessTokenService>().CreateAsync(
            session, new CreatorKeys.Core.AccessTokens.NewTokenInput("trace", VaultEnvironment.Dev, CreatorKeys.Core.AccessTokens.TokenLifetime.Days30), TestAccounts.Origin)).TokenText!;
        secrets.Add(token);
        secrets.Add(token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        using (var api = new HttpClient { BaseAddress = app.BaseAddress })
        {
            api.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
            var served = await api.GetStringAsync("api/v1/secrets");
            Assert.Contains(values[1], served, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/v1/secrets/NOT_STORED")).StatusCode);
        }

        var lines = app.Logs.Lines;
        // Trace really was on: EF Core's commands and Kestrel's connection events are in the log.
        Assert.Contains(lines, l => l.StartsWith("Trace ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Executed DbCommand", StringComparison.Ordinal));
        var found = lines.SelectMany(line => secrets.Where(s => s.Length > 0 && line.Contains(s, StringComparison.Ordinal)).Select(s => $"{s[..4]}… in: {line[..Math.Min(160, line.Length)]}")).ToList();
        Assert.True(found.Count == 0, string.Join(Environment.NewLine, found));
        var email = emails[0].ToString();
        Assert.Contains(emails, e => e.TextBody?.Contains("Near their spend cap", StringComparison.Ordinal) == true);
        Assert.Contains(lines, l => l.Contains("/api/v1/key", StringComparison.Ordinal));
        Assert.DoesNotContain(secrets.Where(s => s.Length > 0), s => email.Contains(s, StringComparison.Ordinal));
    }
}
