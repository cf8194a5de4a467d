using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Reminders;

/// <summary>A key at 80% of its cap or more is listed in the next digest email, with its figures (numbers only), over real SMTP.</summary>
public sealed class SpendDigestTests : IAsyncLifetime
{
    private const string BaseAddress = "https://keys.example.test";
    private TestSmtpServer _smtp = default!;
    private CoreHost _host = default!;
    private VaultSession _session = default!;

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

    private async Task<KeySummary> AddKeyAsync(string provider, string label, string value, decimal? cap, int daysOld = 0)
    {
        var result = await _host.Vault.AddKeyAsync(_session,
            new NewKeyInput(provider, VaultEnvironment.Prod, label, value, MonthlyCapUsd: cap, IssueDate: KeyIssueDate.Of(_host.Time.GetUtcNow().AddDays(-daysOld))),
            TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private async Task KeepSpendAsync(Guid keyId, decimal used)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        db.KeySpends.Add(new KeySpend { KeyId = keyId, AccountId = _session.AccountId, ReadAt = _host.Time.GetUtcNow(), Unit = SpendUnit.Dollars, UsedThisMonth = used, LimitPeriod = SpendPeriod.Month });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Digest_KeyAtEightyPercentOfItsCap_IsListedWithItsFigures_AndAKeyBelowIsNot()
    {
        var values = new[] { TestAccounts.NewKeyValue(), TestAccounts.NewKeyValue(), TestAccounts.NewKeyValue() };
        await AddKeyAsync("OpenAI", "PROD — OpenAI — due", values[0], cap: null, daysOld: 100);
        var near = await AddKeyAsync("OpenRouter", "PROD — OpenRouter — busy", values[1], cap: 20);
        var calm = await AddKeyAsync("OpenRouter", "PROD — OpenRouter — calm", values[2], cap: 100);
        var readAt = _host.Time.GetUtcNow();
        await KeepSpendAsync(near.Id, 16m);
        await KeepSpendAsync(calm.Id, 79m);

        await _host.Services.GetRequiredService<ReminderService>().CheckAsync();
        await _host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        var asOf = CreatorKeys.Core.Text.Wording.MomentUtc(readAt);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains("Near their spend cap", body, StringComparison.Ordinal);
            Assert.Contains($"Spent $16 of $20 this month (as of {asOf})", body, StringComparison.Ordinal);
            Assert.Contains($"{BaseAddress}/vault/keys/{near.Id}", body, StringComparison.Ordinal);
            Assert.DoesNotContain("calm", body, StringComparison.Ordinal);
            Assert.All(values, value => Assert.DoesNotContain(value, body, StringComparison.Ordinal));
        }

        Assert.Contains("PROD OpenRouter — \"PROD — OpenRouter — busy\": Spent $16 of $20", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Near its cap", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_NoKeyNearItsCap_HasNoSpendSection()
    {
        await AddKeyAsync("OpenAI", "PROD — OpenAI — due", TestAccounts.NewKeyValue(), cap: null, daysOld: 100);
        var calm = await AddKeyAsync("OpenRouter", "PROD — OpenRouter — calm", TestAccounts.NewKeyValue(), cap: 100);
        await KeepSpendAsync(calm.Id, 10m);

        await _host.Services.GetRequiredService<ReminderService>().CheckAsync();
        await _host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.DoesNotContain("spend cap", message.TextBody, StringComparison.Ordinal);
    }
}
