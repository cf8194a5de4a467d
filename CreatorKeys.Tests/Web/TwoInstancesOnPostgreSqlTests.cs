using System.Net;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Accounts;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web;

/// <summary>
/// Two app instances (two real hosts on Kestrel, each with its own data folder, as two containers would have) on one
/// PostgreSQL database and one SMTP server on loopback (docs/decisions/020-several-instances.md): the daily check run
/// by both at once, activity written by both at once, and a creator whose browser moves from one to the other.
/// </summary>
public sealed class TwoInstancesOnPostgreSqlTests(TwoInstancesOnPostgreSqlTests.TwoInstances instances) : IClassFixture<TwoInstancesOnPostgreSqlTests.TwoInstances>
{
    private AppHost A => instances.A;

    private AppHost B => instances.B;

    [Fact]
    public async Task BothRunTheDailyCheckAtTheSameMoment_EachReminderOnce_EachDigestSentOnce()
    {
        // Both instances keep their jobs in the one database: the same recurring jobs, seen from either.
        Assert.IsType<Hangfire.PostgreSql.PostgreSqlStorage>(A.Services.GetRequiredService<JobStorage>());
        using (var jobs = B.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var recurring = jobs.GetRecurringJobs().Select(j => j.Id).Order(StringComparer.Ordinal).ToList();
            Assert.Equal([ReminderJobs.DailyCheckId, ReminderJobs.OutboxId], recurring);
        }

        string[] emails = ["digest.one@example.com", "digest.two@example.com", "digest.three@example.com", "digest.four@example.com"];
        var accounts = new List<string>();
        foreach (var (email, index) in emails.Select((e, i) => (e, i)))
        {
            // Signed up on either instance: it is one install.
            var app = index % 2 == 0 ? A : B;
            using var client = PageClient.For(app);
            var session = await app.SignUpThroughFormAsync(client, email);
            accounts.Add(session.AccountId);
            foreach (var provider in new[] { "OpenAI", "Anthropic" })
            {
                var added = await app.Services.GetRequiredService<VaultService>().AddKeyAsync(
                    session,
                    new NewKeyInput(provider, VaultEnvironment.Prod, $"PROD — {provider} — old", TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(DateTimeOffset.UtcNow.AddDays(-95))),
                    TestAccounts.Origin,
                    acceptShapeWarning: true);
                Assert.True(added.Succeeded, string.Join(" ", added.Errors.Values));
            }
        }

        // The same moment on both: each runs the whole daily job (check, monthly reports, sending), twice over.
        var a = A.Services.GetRequiredService<ReminderJobs>();
        var b = B.Services.GetRequiredService<ReminderJobs>();
        await Task.WhenAll(
            Task.Run(() => a.RunDailyCheckAsync()), Task.Run(() => b.RunDailyCheckAsync()),
            Task.Run(() => a.RunDailyCheckAsync()), Task.Run(() => b.RunDailyCheckAsync()));
        await Task.WhenAll(
            Task.Run(() => A.Services.GetRequiredService<OutboxService>().DeliverDueAsync()),
            Task.Run(() => B.Services.GetRequiredService<OutboxService>().DeliverDueAsync()));

        await using var db = await A.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var reminders = await db.Reminders.AsNoTracking().Where(r => accounts.Contains(r.AccountId)).ToListAsync();
        Assert.Equal(emails.Length * 2, reminders.Count);
        Assert.All(reminders.GroupBy(r => r.ApiKeyId), key => Assert.Single(key));
        var digests = await db.Outbox.AsNoTracking().Where(m => accounts.Contains(m.AccountId!) && m.Kind == OutboxMessageKind.ReminderDigest).ToListAsync();
        Assert.Equal(emails.Length, digests.Count);
        Assert.All(digests, m => Assert.NotNull(m.SentAt));

        await instances.Smtp.WaitForMessagesAsync(emails.Length);
        foreach (var email in emails)
        {
            // Exactly one message reached each creator: nothing sent twice by the two instances.
            var received = instances.Smtp.Messages.Where(m => m.To.Mailboxes.Any(t => t.Address == email)).ToList();
            Assert.Single(received);
            Assert.StartsWith("2 API keys need rotating", received[0].Subject, StringComparison.Ordinal);
        }

        foreach (var account in accounts)
        {
            Assert.True((await A.Services.GetRequiredService<ActivityChain>().VerifyAsync(account)).Intact);
        }
    }

    [Fact]
    public async Task ActivityWrittenByBothInstancesAtOnce_OneUnbrokenChain_ThatBothVerify()
    {
        using var client = PageClient.For(A);
        var session = await A.SignUpThroughFormAsync(client, "chain@example.com");
        var onA = A.Services.GetRequiredService<ActivityService>();
        var onB = B.Services.GetRequiredService<ActivityService>();

        // Every write reads the end of the chain and extends it; interleaved across the two instances, none may
        // take a number another already took (a refused save) or build on an entry that is no longer the end.
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            (i % 2 == 0 ? onA : onB).RecordAsync(session.AccountId, ActivityAction.LeakCheckRun, TestAccounts.Origin, targetName: $"write {i}"))));

        await using var db = await A.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var sequences = await db.Activity.AsNoTracking().Where(e => e.AccountId == session.AccountId).OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, sequences.Count).Select(n => (long)n), sequences);
        Assert.Equal(24, await db.Activity.CountAsync(e => e.AccountId == session.AccountId && e.Action == ActivityAction.LeakCheckRun));

        var checkpoint = await db.ActivityCheckpoints.AsNoTracking().SingleAsync(c => c.AccountId == session.AccountId);
        Assert.Equal(sequences[^1], checkpoint.Sequence);
        var fromA = await A.Services.GetRequiredService<ActivityChain>().VerifyAsync(session.AccountId);
        var fromB = await B.Services.GetRequiredService<ActivityChain>().VerifyAsync(session.AccountId);
        Assert.True(fromA.Intact, fromA.Message);
        Assert.True(fromB.Intact, fromB.Message);
    }

    [Fact]
    public async Task RotationStartedOnOne_ContinuesOnTheOther_AfterSigningInThere_WithCookiesEitherInstanceReads()
    {
        // One browser (one cookie jar) behind a proxy: it talks to A first, then to B.
        var jar = new CookieContainer();
        using var onA = PageClient.For(A, jar);
        using var onB = PageClient.For(B, jar);
        var session = await A.SignUpThroughFormAsync(onA, TestAccounts.Email);
        var key = await A.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var started = await A.Services.GetRequiredService<RotationService>().StartAsync(session.AccountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        var rotationId = started.Rotation!.Id;
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync($"rotation/{rotationId}")).Status);

        // A moves the browser to B (A went away, or the proxy chose B). B reads A's sign-in cookie (one key ring in the
        // database), but A's unlocked vault is in A's memory only: B asks for the password and says why in plain words.
        var moved = await onB.GetAsync($"rotation/{rotationId}");
        Assert.Equal(HttpStatusCode.Redirect, moved.Status);
        Assert.StartsWith("/account/sign-in", moved.Location, StringComparison.Ordinal);
        var signIn = await onB.GetAsync("account/sign-in");
        Assert.Contains("you were moved to another one", signIn.Document.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Sign in again to unlock your vault here.", signIn.Document.Body!.TextContent, StringComparison.Ordinal);

        // The sign-in form as A served it (its antiforgery token and cookie made by A), sent to B: B accepts it.
        var formOnA = await onA.GetAsync("account/sign-in");
        var token = formOnA.Document.QuerySelector("form input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var fields = new FormUrlEncodedContent(new Dictionary<string, string>(AppHostExtensions.SignInFields())
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "sign-in",
        });
        using var posted = await onB.Http.PostAsync("account/sign-in", fields);
        var signedIn = await PageClient.PageResponse.ReadAsync(posted);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal("/", signedIn.Location);
        Assert.Contains(B.OpenSessions(), s => s.AccountId == session.AccountId);

        // Signed in on B: the rotation A started is there, and its next step (which needs the unlocked vault) is done on B.
        var page = await onB.GetAsync($"rotation/{rotationId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(key.Label, page.Document.Body!.TextContent, StringComparison.Ordinal);
        var sessionOnB = B.OpenSessions().Single(s => s.AccountId == session.AccountId);
        var (outcome, added) = await B.Services.GetRequiredService<RotationService>().AddNewKeyAsync(
            sessionOnB, rotationId, $"{key.Label} (new)", TestAccounts.NewKeyValue(), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(added?.Succeeded, added is null ? "no result" : string.Join(" ", added.Errors.Values));
        Assert.Equal(RotationStep.UpdateWorkflows, (await A.Services.GetRequiredService<RotationService>().GetAsync(session.AccountId, rotationId))!.Step);
        Assert.NotNull(outcome.Rotation);

        // The key ring is in the database, not in either data folder.
        Assert.Empty(Directory.GetFiles(A.DataFolder.KeyRingPath, "key-*.xml"));
        Assert.Empty(Directory.GetFiles(B.DataFolder.KeyRingPath, "key-*.xml"));
        Assert.True(A.Services.GetRequiredService<KeyRingStatus>().ReadFiles() is { Encrypted: 0, Plain: > 0 });
        Assert.Equal(KeyRingStatus.UnencryptedInDatabaseWarning, B.Services.GetRequiredService<KeyRingStatus>().Warning);
    }

    /// <summary>The two instances, started once for the class: A first (it makes the key ring and the seal key), then B.</summary>
    public sealed class TwoInstances : IAsyncLifetime, IDisposable
    {
        private readonly TempFolder _folderA = new();
        private readonly TempFolder _folderB = new();

        public TestSmtpServer Smtp { get; } = TestSmtpServer.Start();

        public AppHost A { get; private set; } = default!;

        public AppHost B { get; private set; } = default!;

        public async Task InitializeAsync()
        {
            var settings = new Dictionary<string, string?>(Smtp.AppSettings())
            {
                [Database.Section + ":Provider"] = "PostgreSql",
                [Database.Section + ":ConnectionString"] = await PostgreSqlServer.DatabaseForAsync(_folderA),
                ["CreatorKeys:Reminders:TimeZone"] = "UTC",
                ["CreatorKeys:Accounts:Registration"] = "Open",
            };
            A = AppHost.Start(_folderA, settings: settings);
            // The activity log's seal key is a server secret outside the database; the instances share it (in
            // deploy/compose.yaml they share one data volume). Only that file is copied here: the sign-in key ring
            // must come from the database.
            var sealKey = A.Services.GetRequiredService<ActivitySealKey>().FilePath;
            Directory.CreateDirectory(Path.Combine(_folderB.Path, "keys"));
            File.Copy(sealKey, Path.Combine(_folderB.Path, "keys", ActivitySealKey.FileName));
            B = AppHost.Start(_folderB, settings: settings);
        }

        public async Task DisposeAsync()
        {
            await B.DisposeAsync();
            await A.DisposeAsync();
            await Smtp.DisposeAsync();
        }

        /// <summary>After the hosts have stopped (xunit disposes a fixture's async side first): the folders, and A's database with its.</summary>
        public void Dispose()
        {
            _folderB.Dispose();
            _folderA.Dispose();
        }
    }
}
