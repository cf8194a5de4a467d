using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CreatorKeys.Tests.Core.Reminders;

/// <summary>
/// The daily check, the ledger, the digest and the outbox, against real SQLite and a real
/// SMTP server on loopback, with a fake clock.
/// </summary>
public class ReminderServiceTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="ReminderServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private const string BaseAddress = "https://keys.example.test";

    private TestSmtpServer _smtp = default!;
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    private ReminderService Reminders => _host.Services.GetRequiredService<ReminderService>();

    private OutboxService Outbox => _host.Services.GetRequiredService<OutboxService>();

    public async Task InitializeAsync()
    {
        _smtp = TestSmtpServer.Start();
        _host = await CoreHost.StartAsync(Provider, Settings());
        (var account, _session, _) = await _host.SignUpAsync();
        _accountId = account.Id;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task DailyChecks_NinetyDayKey_RemindAtSixtyEightyThreeNinetyThenWeekly()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 0);
        var fired = new List<(int Day, ReminderStage Stage, int Step)>();

        for (var day = 0; day <= 120; day++)
        {
            var report = await Reminders.CheckAsync();
            if (report.RemindersCreated > 0)
            {
                var newest = (await Reminders.ListNotificationsAsync(_accountId, 1)).Single();
                fired.Add((day, newest.Point.Stage, newest.Point.Step));
            }

            _host.Time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal(
            [
                (60, ReminderStage.Upcoming, 30), (83, ReminderStage.Upcoming, 7), (90, ReminderStage.Due, 0),
                (97, ReminderStage.Overdue, 1), (104, ReminderStage.Overdue, 2), (111, ReminderStage.Overdue, 3), (118, ReminderStage.Overdue, 4),
            ],
            fired);
        await Outbox.DeliverDueAsync();
        Assert.Equal(7, (await _smtp.WaitForMessagesAsync(7)).Count);
    }

    [Fact]
    public async Task Check_RunTwice_QueuesOneDigest_AndSendsItOnce()
    {
        var value = TestAccounts.NewKeyValue();
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 85, value: value, label: "PROD — OpenAI — Created 2026-09-03");

        var first = await Reminders.CheckAsync();
        var second = await Reminders.CheckAsync();
        var sent = await Outbox.DeliverDueAsync();
        var again = await Outbox.DeliverDueAsync();

        Assert.Equal((1, 1), (first.RemindersCreated, first.MessagesQueued));
        Assert.Equal((0, 0), (second.RemindersCreated, second.MessagesQueued));
        Assert.Equal(new DeliveryReport(1, 0), sent);
        Assert.Equal(new DeliveryReport(0, 0), again);

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var due = Reminders.Today.AddDays(5);
        Assert.Equal($"1 API key due for rotation soon — first: PROD OpenAI on {due:d MMM yyyy}", message.Subject);
        Assert.Equal(TestAccounts.Email, message.To.Mailboxes.Single().Address);
        Assert.NotNull(message.TextBody);
        Assert.NotNull(message.HtmlBody);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("PROD — OpenAI — Created 2026-09-03", body);
            Assert.Contains(key.Hint, body);
            Assert.Contains($"{BaseAddress}/vault/keys/{key.Id}?replace=true", body);
            Assert.Contains($"{due:d MMM yyyy}", body);
        }

        AssertNoSecret(message, value);
    }

    [Fact]
    public async Task Check_SeveralKeysDue_OneDigestWhoseSubjectNamesTheOverdueOnes()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 100, provider: "OpenAI");
        await AddKeyAsync(VaultEnvironment.Dev, daysOld: 185, provider: "ElevenLabs");
        await AddKeyAsync(VaultEnvironment.Staging, daysOld: 170, provider: "Anthropic");
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 10, provider: "Runway");

        var report = await Reminders.CheckAsync();
        await Outbox.DeliverDueAsync();

        Assert.Equal((4, 3, 1), (report.KeysConsidered + 1, report.RemindersCreated, report.MessagesQueued));
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Equal("3 API keys need rotating — 2 overdue: PROD OpenAI, DEV ElevenLabs", message.Subject);
        Assert.Contains("Overdue by 10 days", message.TextBody);
        Assert.Contains("Overdue by 5 days", message.TextBody);
        Assert.Contains("Due in 10 days", message.TextBody);
        Assert.DoesNotContain("Runway", message.TextBody);
    }

    [Fact]
    public async Task Digest_CarriesTheActivityLogCheckpoint_ThatVerifiesTheLogUpToThen()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 100, provider: "OpenAI");
        var chain = _host.Services.GetRequiredService<CreatorKeys.Core.Audit.ActivityChain>();
        var head = (await chain.CurrentCheckpointAsync(_accountId))!.Code;

        await Reminders.CheckAsync();
        await Outbox.DeliverDueAsync();

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Contains($"Activity log checkpoint: {head}", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<code>{head}</code>", message.HtmlBody, StringComparison.Ordinal);
        Assert.True(CreatorKeys.Core.Audit.ActivityCheckpointCode.TryParse(head.ToString(), out var typed));
        var report = await chain.VerifyAsync(_accountId, typed);
        Assert.True(report.KeptCodeConfirmed, report.Message);
    }

    [Fact]
    public async Task Restart_BetweenCheckAndSend_TheMessageSurvivesAndGoesOutExactlyOnce()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 95);
        var checkedBefore = await Reminders.CheckAsync();
        Assert.Equal(1, checkedBefore.MessagesQueued);
        var folder = _host.KeepFolderOnDispose();
        await _host.DisposeAsync();
        Assert.Empty(_smtp.Messages);

        _host = await CoreHost.StartAsync(Provider, Settings(), folder);
        try
        {
            var recheck = await Reminders.CheckAsync();
            var delivered = await Outbox.DeliverDueAsync();
            var redelivered = await Outbox.DeliverDueAsync();

            Assert.Equal(0, recheck.RemindersCreated);
            Assert.Equal(1, delivered.Sent);
            Assert.Equal(0, redelivered.Sent);
            Assert.Single(await _smtp.WaitForMessagesAsync(1));
        }
        finally
        {
            await _host.DisposeAsync();
            folder.Dispose();
            _host = await CoreHost.StartAsync(Provider, Settings());
        }
    }

    [Fact]
    public async Task ServerDown_MessageWaitsWithItsError_ThenGoesOutOnceWhenBack()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 90);
        await Reminders.CheckAsync();
        await _smtp.StopAsync();

        var whileDown = await Outbox.DeliverDueAsync();
        var tooSoon = await Outbox.DeliverDueAsync();

        Assert.Equal(new DeliveryReport(0, 1), whileDown);
        Assert.Equal(new DeliveryReport(0, 0), tooSoon);
        var status = await Outbox.GetStatusAsync(_accountId);
        Assert.Equal(1, status.Waiting);
        var waiting = Assert.Single(status.Recent);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("refused the connection", waiting.LastError);
        Assert.Equal(_host.Time.GetUtcNow() + TimeSpan.FromMinutes(1), waiting.NextAttemptAt);

        _smtp.StartAgain();
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var back = await Outbox.DeliverDueAsync();
        var after = await Outbox.DeliverDueAsync();

        Assert.Equal(new DeliveryReport(1, 0), back);
        Assert.Equal(new DeliveryReport(0, 0), after);
        Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var sent = Assert.Single((await Outbox.GetStatusAsync(_accountId)).Recent);
        Assert.Null(sent.LastError);
        Assert.Equal(2, sent.Attempts);
        Assert.Equal("SMTP 127.0.0.1", sent.SentVia);
    }

    [Fact]
    public void RetryDelay_GrowsThenStaysAtSixHours()
    {
        Assert.Equal(
            [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(6), TimeSpan.FromHours(6)],
            Enumerable.Range(1, 6).Select(OutboxService.RetryDelay));
    }

    [Fact]
    public async Task PolicyChangedMidCycle_RemindersFollowTheNewDueDate()
    {
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 0);
        var policies = _host.Services.GetRequiredService<RotationPolicyService>();
        _host.Time.Advance(TimeSpan.FromDays(50));
        Assert.Equal(0, (await Reminders.CheckAsync()).RemindersCreated);

        var changed = await policies.SetPolicyAsync(_accountId, key.Id, 60, TestAccounts.Origin);

        Assert.True(changed.Succeeded, changed.Error);
        Assert.Equal(Reminders.Today.AddDays(10), await DueOnAsync(key.Id));
        var stages = new List<(int Day, ReminderStage Stage, int Step)>();
        for (var day = 50; day <= 61; day++)
        {
            if ((await Reminders.CheckAsync()).RemindersCreated > 0)
            {
                var newest = (await Reminders.ListNotificationsAsync(_accountId, 1)).Single();
                stages.Add((day, newest.Point.Stage, newest.Point.Step));
            }

            _host.Time.Advance(TimeSpan.FromDays(1));
        }

        Assert.Equal([(50, ReminderStage.Upcoming, 30), (53, ReminderStage.Upcoming, 7), (60, ReminderStage.Due, 0)], stages);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public async Task SetPolicy_OutOfRange_IsRefusedAndChangesNothing(int days)
    {
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 0);
        var before = await DueOnAsync(key.Id);

        var result = await _host.Services.GetRequiredService<RotationPolicyService>().SetPolicyAsync(_accountId, key.Id, days, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Equal("Choose a number of days from 1 to 365.", result.Error);
        Assert.Equal(before, await DueOnAsync(key.Id));
    }

    [Fact]
    public async Task FinishedTestCycle_DevKeysAreDueToday_ProdKeysKeepTheirSchedule()
    {
        var dev = await AddKeyAsync(VaultEnvironment.Dev, daysOld: 3);
        var prod = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 3);
        var prodDue = await DueOnAsync(prod.Id);

        var result = await _host.Services.GetRequiredService<RotationPolicyService>().FinishTestCycleAsync(_accountId, VaultEnvironment.Dev, TestAccounts.Origin);
        var report = await Reminders.CheckAsync();

        Assert.Equal(1, result.KeysChanged);
        Assert.Equal(Reminders.Today, await DueOnAsync(dev.Id));
        Assert.Equal(prodDue, await DueOnAsync(prod.Id));
        Assert.Equal(1, report.RemindersCreated);
        var notification = Assert.Single(await Reminders.ListNotificationsAsync(_accountId));
        Assert.Equal(ReminderStage.Due, notification.Point.Stage);
        Assert.Equal("DEV OpenAI is due for replacement", notification.Headline);
    }

    [Fact]
    public async Task Rotation_NewKeyKeepsTheSlotsPolicy()
    {
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 80);
        var policies = _host.Services.GetRequiredService<RotationPolicyService>();
        await policies.SetPolicyAsync(_accountId, key.Id, 60, TestAccounts.Origin);
        var rotations = _host.Services.GetRequiredService<CreatorKeys.Core.Rotation.RotationService>();

        var started = await rotations.StartAsync(_accountId, key.Id, CreatorKeys.Core.Rotation.RotationReason.Scheduled, null, TestAccounts.Origin);
        var (added, _) = await rotations.AddNewKeyAsync(_session, started.Rotation!.Id, "PROD — OpenAI — new", TestAccounts.NewKeyValue(), TestAccounts.Origin);
        Assert.True(added.Succeeded, added.Error);
        Assert.True((await rotations.ContinueToRetireAsync(_accountId, started.Rotation.Id)).Succeeded);
        Assert.True((await rotations.RetireOldKeyAsync(_accountId, started.Rotation.Id, null, TestAccounts.Origin)).Succeeded);
        var done = await rotations.CompleteAsync(_accountId, started.Rotation.Id, TestAccounts.Origin);
        Assert.True(done.Succeeded, done.Error);

        await using var db = await Db();
        var fresh = await db.ApiKeys.SingleAsync(k => k.SlotId == key.SlotId && k.Status == KeyStatus.Current);
        Assert.Equal(60, fresh.RotationDays);
        Assert.Equal(Reminders.Today.AddDays(60), fresh.DueOn);
        Assert.Null((await db.ApiKeys.SingleAsync(k => k.Id == key.Id)).DueOn);
    }

    [Fact]
    public async Task Check_TwoAtOnce_RemindOnceAndQueueOneDigest()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 88);
        await AddKeyAsync(VaultEnvironment.Dev, daysOld: 200);

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Reminders.CheckAsync())));

        Assert.Equal(2, reports.Sum(r => r.RemindersCreated));
        Assert.Equal(1, reports.Sum(r => r.MessagesQueued));
        Assert.All(reports, r => Assert.Equal(0, r.AccountsFailed));
        Assert.Equal(new DeliveryReport(1, 0), await Outbox.DeliverDueAsync());
    }

    [Fact]
    public async Task Check_OnlyOneAccountHasNews_RemindsThatAccountOnly_AndCountsEveryDueKey()
    {
        // The check reads every due key narrowly first and reads keys whole only for accounts with something new.
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 88);
        Assert.Equal(1, (await Reminders.CheckAsync()).RemindersCreated);
        var (other, otherSession, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 92, provider: "Anthropic", session: otherSession);

        var report = await Reminders.CheckAsync();
        await Outbox.DeliverDueAsync();

        Assert.Equal((2, 1, 1, 0), (report.KeysConsidered, report.RemindersCreated, report.MessagesQueued, report.AccountsFailed));
        Assert.Single(await Reminders.ListNotificationsAsync(_accountId));
        Assert.Equal("Anthropic", Assert.Single(await Reminders.ListNotificationsAsync(other.Id)).ProviderName);
        // Two digests: the first account's from the first check (delivered only now) and the other account's.
        var theirs = Assert.Single(await _smtp.WaitForMessagesAsync(2), m => string.Equals(m.To.Mailboxes.Single().Address, TestAccounts.OtherEmail, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Anthropic", theirs.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenAI", theirs.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstPass_TellsNewFromRecorded_InSql_AsReminderPointOrderDoes_OnEveryDayAroundTheDueDate()
    {
        // The first pass decides "anything new?" in the database (ReminderService.WithNews); the second pass and the digest
        // use ReminderPoint.Order in C#. The two must agree on every day from the first reminder to weeks overdue, for a
        // ledger holding nothing, the reminder before today's, today's, and a later one (a clock that went back).
        var today = Reminders.Today;
        var offsets = Enumerable.Range(-45, 45 + RotationSchedule.FirstReminderDays + 1).ToList();
        var keys = new List<(Guid Id, DateOnly DueOn, int Order)>();
        foreach (var offset in offsets)
        {
            var key = await AddKeyAsync(VaultEnvironment.Dev, daysOld: 0);
            var dueOn = today.AddDays(offset);
            await using var db = await Db();
            await db.ApiKeys.Where(k => k.Id == key.Id).ExecuteUpdateAsync(set => set.SetProperty(k => k.DueOn, dueOn));
            keys.Add((key.Id, dueOn, RotationSchedule.StageOn(dueOn, today)!.Value.Order));
        }

        foreach (int? recordedDelta in new int?[] { null, -1, 0, 1 })
        {
            await using (var db = await Db())
            {
                await db.Reminders.ExecuteDeleteAsync();
                foreach (var (id, dueOn, order) in keys)
                {
                    // A reminder of an earlier due date (before the key's policy changed) never counts for the current one.
                    db.Reminders.Add(LedgerRow(id, dueOn.AddDays(-90), 9));
                    if (recordedDelta is { } delta && order + delta >= 0)
                    {
                        db.Reminders.Add(LedgerRow(id, dueOn, order + delta));
                    }
                }

                await db.SaveChangesAsync();
            }

            await using (var db = await Db())
            {
                var horizon = today.AddDays(RotationSchedule.FirstReminderDays);
                var withNews = (await ReminderService.WithNews(db, db.ApiKeys.Where(k => k.AccountId == _accountId && k.DueOn <= horizon), today)
                    .Select(k => k.Id).ToListAsync()).ToHashSet();
                // New exactly when today's reminder is later than the latest recorded: with nothing or the one before recorded.
                var expected = recordedDelta is null or < 0 ? keys.Select(k => k.Id).ToHashSet() : [];
                Assert.True(expected.SetEquals(withNews),
                    $"Ledger at order{(recordedDelta is null ? " (nothing)" : $" {recordedDelta:+0;-0;+0}")}: wrongly new on days "
                    + string.Join(", ", keys.Where(k => withNews.Contains(k.Id) && !expected.Contains(k.Id)).Select(k => k.DueOn.DayNumber - today.DayNumber))
                    + "; wrongly not new on days "
                    + string.Join(", ", keys.Where(k => !withNews.Contains(k.Id) && expected.Contains(k.Id)).Select(k => k.DueOn.DayNumber - today.DayNumber)));
            }
        }

        Reminder LedgerRow(Guid keyId, DateOnly dueOn, int order)
        {
            var point = order switch
            {
                0 => new ReminderPoint(ReminderStage.Upcoming, RotationSchedule.FirstReminderDays),
                1 => new ReminderPoint(ReminderStage.Upcoming, RotationSchedule.SecondReminderDays),
                2 => new ReminderPoint(ReminderStage.Due, 0),
                _ => new ReminderPoint(ReminderStage.Overdue, order - 2),
            };
            Assert.Equal(order, point.Order);
            return new Reminder { Id = Guid.NewGuid(), AccountId = _accountId, ApiKeyId = keyId, DueOn = dueOn, Stage = point.Stage, Step = point.Step, CreatedAt = _host.Time.GetUtcNow() };
        }
    }

    [Fact]
    public async Task Digest_AlsoListsKeysStillOverdue_BetweenTheirWeeklyRepeats()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 92, provider: "OpenAI");
        await Reminders.CheckAsync();
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 60, provider: "Anthropic");

        var report = await Reminders.CheckAsync();
        await Outbox.DeliverDueAsync();

        Assert.Equal(1, report.RemindersCreated);
        var latest = (await _smtp.WaitForMessagesAsync(2))[1];
        Assert.Equal("2 API keys need rotating — 1 overdue: PROD OpenAI", latest.Subject);
        Assert.Contains("Anthropic", latest.TextBody);
    }

    [Fact]
    public async Task MarkedCompromised_IsDueToday_EvenIfTheUrgentRotationIsCancelled()
    {
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 5);
        var rotations = _host.Services.GetRequiredService<CreatorKeys.Core.Rotation.RotationService>();

        var urgent = await rotations.MarkCompromisedAsync(_accountId, key.Id, TestAccounts.Origin);
        await rotations.CancelAsync(_accountId, urgent.Rotation!.Id, TestAccounts.Origin);

        Assert.Equal(Reminders.Today, await DueOnAsync(key.Id));
        Assert.Equal(1, (await Reminders.CheckAsync()).RemindersCreated);
    }

    [Fact]
    public async Task Check_KeyAlreadyBeingReplaced_IsNotReminded_UntilTheRotationIsCancelled()
    {
        var key = await AddKeyAsync(VaultEnvironment.Prod, daysOld: 95);
        var rotations = _host.Services.GetRequiredService<CreatorKeys.Core.Rotation.RotationService>();
        var started = await rotations.StartAsync(_accountId, key.Id, CreatorKeys.Core.Rotation.RotationReason.Scheduled, null, TestAccounts.Origin);

        Assert.Equal(0, (await Reminders.CheckAsync()).RemindersCreated);

        await rotations.CancelAsync(_accountId, started.Rotation!.Id, TestAccounts.Origin);
        Assert.Equal(1, (await Reminders.CheckAsync()).RemindersCreated);
    }

    [Fact]
    public async Task Notifications_CountUnread_AndMarkRead()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 88, provider: "OpenAI");
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 70, provider: "Anthropic");
        var changes = 0;
        _host.Services.GetRequiredService<ReminderNotifier>().Changed += id => changes += id == _accountId ? 1 : 0;

        await Reminders.CheckAsync();
        var list = await Reminders.ListNotificationsAsync(_accountId);
        Assert.Equal(2, await Reminders.CountUnreadAsync(_accountId));
        // The bell counts no further than it shows.
        Assert.Equal(1, await Reminders.CountUnreadAsync(_accountId, atMost: 1));
        Assert.Equal(2, await Reminders.CountUnreadAsync(_accountId, atMost: 3));

        await Reminders.MarkReadAsync(_accountId, list[0].Id);
        Assert.Equal(1, await Reminders.CountUnreadAsync(_accountId));
        await Reminders.MarkReadAsync(_accountId);
        Assert.Equal(0, await Reminders.CountUnreadAsync(_accountId));
        Assert.Equal(3, changes);
    }

    [Fact]
    public async Task Notifications_OfAnotherAccount_AreNeitherListedNorMarked()
    {
        await AddKeyAsync(VaultEnvironment.Prod, daysOld: 88);
        await Reminders.CheckAsync();
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);

        Assert.Empty(await Reminders.ListNotificationsAsync(other.Id));
        await Reminders.MarkReadAsync(other.Id, (await Reminders.ListNotificationsAsync(_accountId)).Single().Id);

        Assert.Equal(1, await Reminders.CountUnreadAsync(_accountId));
    }

    [Fact]
    public async Task NoSecret_InAnyMessageOfAnyStage()
    {
        var values = new List<string>();
        foreach (var (environment, days) in new[] { (VaultEnvironment.Prod, 60), (VaultEnvironment.Prod, 85), (VaultEnvironment.Prod, 90), (VaultEnvironment.Prod, 120), (VaultEnvironment.Dev, 200) })
        {
            var value = TestAccounts.NewKeyValue();
            values.Add(value);
            await AddKeyAsync(environment, days, value: value);
        }

        await Reminders.CheckAsync();
        await Outbox.DeliverDueAsync();

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        foreach (var value in values)
        {
            AssertNoSecret(message, value);
        }
    }

    private Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(_smtp.AppSettings())
        {
            ["CreatorKeys:Accounts:Registration"] = "Open",
            ["CreatorKeys:Reminders:TimeZone"] = "UTC",
            ["CreatorKeys:Email:BaseAddress"] = BaseAddress,
        };
        return settings;
    }

    private async Task<KeySummary> AddKeyAsync(VaultEnvironment environment, int daysOld, string provider = "OpenAI", string? value = null, string? label = null, VaultSession? session = null)
    {
        var issued = _host.Time.GetUtcNow().AddDays(-daysOld);
        var result = await _host.Vault.AddKeyAsync(
            session ?? _session,
            new NewKeyInput(provider, environment, label ?? $"{environment.Code()} — {provider} — {Guid.NewGuid():N}", value ?? TestAccounts.NewKeyValue(), IssueDate: KeyIssueDate.Of(issued)),
            TestAccounts.Origin,
            acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private async Task<DateOnly?> DueOnAsync(Guid keyId)
    {
        await using var db = await Db();
        return await db.ApiKeys.Where(k => k.Id == keyId).Select(k => k.DueOn).SingleAsync();
    }

    private Task<CreatorKeysDbContext> Db() => _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();

    /// <summary>Neither the value nor any 8-character piece of it (the hint shows 4) is anywhere in the raw message.</summary>
    private static void AssertNoSecret(MimeMessage message, string value)
    {
        using var raw = new MemoryStream();
        message.WriteTo(raw);
        var text = System.Text.Encoding.UTF8.GetString(raw.ToArray()) + message.TextBody + message.HtmlBody;
        for (var i = 0; i + 8 <= value.Length; i++)
        {
            Assert.DoesNotContain(value.Substring(i, 8), text, StringComparison.Ordinal);
        }
    }
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class ReminderServiceTestsOnPostgreSql : ReminderServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
