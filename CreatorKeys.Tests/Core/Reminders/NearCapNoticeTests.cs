using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Reminders;

/// <summary>
/// The daily check emails a key that passed 80% of its cap even when no reminder is due: once per crossing, again in a
/// new month, never for a key below 80%, once even when two checks run together. Real SMTP, injected clock.
/// </summary>
public sealed class NearCapNoticeTests : IAsyncLifetime
{
    private const string BaseAddress = "https://keys.example.test";
    private TestSmtpServer _smtp = default!;
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private readonly List<string> _values = [];

    public async Task InitializeAsync()
    {
        _smtp = TestSmtpServer.Start();
        _host = await CoreHost.StartAsync(new Dictionary<string, string?>(_smtp.AppSettings())
        {
            ["CreatorKeys:Accounts:Registration"] = "Open",
            ["CreatorKeys:Reminders:TimeZone"] = "UTC",
            ["CreatorKeys:Email:BaseAddress"] = BaseAddress,
        });
        (_, _session, _) = await _host.SignUpAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    /// <summary>Moves the clock forward to the 2nd of a later month, 09:00 UTC, so "the next day" stays in the same month.</summary>
    private DateTimeOffset MoveToSecondOfMonth(int monthsAhead)
    {
        var now = _host.Time.GetUtcNow();
        var target = new DateTimeOffset(now.Year, now.Month, 2, 9, 0, 0, TimeSpan.Zero).AddMonths(monthsAhead);
        _host.Time.SetUtcNow(target);
        return target;
    }

    private ReminderJobs Jobs => _host.Services.GetRequiredService<ReminderJobs>();

    private async Task<KeySummary> AddKeyAsync(string label, decimal cap)
    {
        var value = TestAccounts.NewKeyValue();
        _values.Add(value);
        // A new key: nothing is due for months, so no digest is ever written in these tests.
        var result = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenRouter", VaultEnvironment.Prod, label, value, MonthlyCapUsd: cap), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    /// <summary>A new reading of the key's spend, as <see cref="StoredSpend"/> keeps it.</summary>
    private async Task KeepSpendAsync(Guid keyId, decimal used)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var record = await db.KeySpends.SingleOrDefaultAsync(s => s.KeyId == keyId);
        if (record is null)
        {
            record = new KeySpend { KeyId = keyId, AccountId = _session.AccountId };
            db.KeySpends.Add(record);
        }

        (record.ReadAt, record.Unit, record.UsedThisMonth, record.LimitPeriod) = (_host.Time.GetUtcNow(), SpendUnit.Dollars, used, SpendPeriod.Month);
        await db.SaveChangesAsync();
    }

    private async Task<int?> NoticeMonthAsync(Guid keyId)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.KeySpends.Where(s => s.KeyId == keyId).Select(s => s.NearCapNoticeMonth).SingleAsync();
    }

    private async Task<int> QueuedNoticesAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Outbox.CountAsync(m => m.Kind == OutboxMessageKind.NearCapNotice);
    }

    [Fact]
    public async Task A_key_past_80_percent_is_emailed_once_without_any_reminder_due_not_again_next_day_and_again_next_month()
    {
        var start = MoveToSecondOfMonth(1);
        var busy = await AddKeyAsync("PROD — OpenRouter — busy", cap: 20);
        var calm = await AddKeyAsync("PROD — OpenRouter — calm", cap: 100);
        await KeepSpendAsync(busy.Id, 17m);
        await KeepSpendAsync(calm.Id, 79m);
        var asOf = CreatorKeys.Core.Text.Wording.MomentUtc(_host.Time.GetUtcNow());

        await Jobs.RunDailyCheckAsync();

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.Equal("“PROD — OpenRouter — busy” has used 85% of its cap", message.Subject);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains($"Spent $17 of $20 this month (as of {asOf})", body, StringComparison.Ordinal);
            Assert.Contains($"{BaseAddress}/vault/keys/{busy.Id}", body, StringComparison.Ordinal);
            Assert.DoesNotContain("calm", body, StringComparison.Ordinal);
            Assert.DoesNotContain(busy.Hint, body, StringComparison.Ordinal);
            Assert.All(_values, value => Assert.DoesNotContain(value[..12], body, StringComparison.Ordinal));
        }

        Assert.Equal(NearCapNoticeService.MonthOf(start), await NoticeMonthAsync(busy.Id));

        // The next day: same figure (or a new reading still over 80% in the same month): no second email.
        _host.Time.Advance(TimeSpan.FromDays(1));
        await KeepSpendAsync(busy.Id, 18m);
        await Jobs.RunDailyCheckAsync();
        Assert.Single(_smtp.Messages);

        // The next month, still over with a new reading: a new email.
        var nextMonth = MoveToSecondOfMonth(1);
        await KeepSpendAsync(busy.Id, 16m);
        await Jobs.RunDailyCheckAsync();
        var messages = await _smtp.WaitForMessagesAsync(2);
        Assert.Equal(2, messages.Count);
        Assert.Contains("Spent $16 of $20 this month", messages[1].TextBody, StringComparison.Ordinal);
        Assert.Equal(NearCapNoticeService.MonthOf(nextMonth), await NoticeMonthAsync(busy.Id));
        Assert.NotEqual(NearCapNoticeService.MonthOf(start), NearCapNoticeService.MonthOf(nextMonth));
        Assert.Null(await NoticeMonthAsync(calm.Id));
    }

    [Fact]
    public async Task Dropping_below_80_percent_clears_the_mark_so_the_next_crossing_is_emailed_again()
    {
        MoveToSecondOfMonth(1);
        var key = await AddKeyAsync("PROD — OpenRouter — swings", cap: 10);
        await KeepSpendAsync(key.Id, 9m);
        await Jobs.RunDailyCheckAsync();
        await _smtp.WaitForMessagesAsync(1);

        // The cap was raised: the same use is now 45% of it.
        _host.Time.Advance(TimeSpan.FromDays(1));
        await _host.Vault.UpdateCapAsync(_session.AccountId, key.Id, 20m, capSetAtProvider: true, TestAccounts.Origin);
        await Jobs.RunDailyCheckAsync();
        Assert.Null(await NoticeMonthAsync(key.Id));
        Assert.Single(_smtp.Messages);

        _host.Time.Advance(TimeSpan.FromDays(1));
        await KeepSpendAsync(key.Id, 19m);
        await Jobs.RunDailyCheckAsync();

        var messages = await _smtp.WaitForMessagesAsync(2);
        Assert.Contains("Spent $19 of $20 this month", messages[1].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_checks_at_the_same_moment_queue_the_email_once()
    {
        var key = await AddKeyAsync("PROD — OpenRouter — busy", cap: 20);
        await KeepSpendAsync(key.Id, 19m);
        var notices = _host.Services.GetRequiredService<NearCapNoticeService>();

        var queued = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => notices.SendAsync())));

        Assert.Equal(1, queued.Sum());
        Assert.Equal(1, await QueuedNoticesAsync());
    }

    [Fact]
    public async Task No_email_for_keys_below_80_percent_or_without_a_cap()
    {
        var calm = await AddKeyAsync("PROD — OpenRouter — calm", cap: 20);
        await KeepSpendAsync(calm.Id, 15.99m);
        var uncapped = (await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenRouter", VaultEnvironment.Prod, "PROD — OpenRouter — no cap", TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true)).Key!;
        await KeepSpendAsync(uncapped.Id, 500m);

        await Jobs.RunDailyCheckAsync();

        Assert.Equal(0, await QueuedNoticesAsync());
        Assert.Empty(_smtp.Messages);
    }
}
