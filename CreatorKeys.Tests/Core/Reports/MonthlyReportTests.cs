using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reports;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace CreatorKeys.Tests.Core.Reports;

/// <summary>The optional monthly report email: off by default, once a month, the PDF attached.</summary>
public sealed class MonthlyReportTests : IAsyncLifetime
{
    private TestSmtpServer _smtp = default!;
    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    private MonthlyReportService Monthly => _host.Services.GetRequiredService<MonthlyReportService>();

    public async Task InitializeAsync()
    {
        _smtp = TestSmtpServer.Start();
        _host = await CoreHost.StartAsync(new Dictionary<string, string?>(_smtp.AppSettings()) { ["CreatorKeys:Reminders:TimeZone"] = "UTC" });
        (var account, _session, _) = await _host.SignUpAsync();
        _accountId = account.Id;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _smtp.DisposeAsync();
    }

    [Fact]
    public async Task OffByDefault_NothingIsQueued()
    {
        Assert.False(await Monthly.IsEnabledAsync(_accountId));
        Assert.Equal(0, await Monthly.QueueDueAsync());
    }

    [Fact]
    public async Task TurnedOn_OneMessageAMonth_WithTheInventoryPdfAttached_AndNoSecret()
    {
        var value = TestAccounts.NewKeyValue();
        var added = await _host.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — main", value), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(added.Succeeded);
        await Monthly.SetEnabledAsync(_accountId, true, TestAccounts.Origin);

        var first = await Monthly.QueueDueAsync();
        var again = await Monthly.QueueDueAsync();
        await _host.Services.GetRequiredService<OutboxService>().DeliverDueAsync();

        Assert.Equal((1, 0), (first, again));
        var message = Assert.Single(await _smtp.WaitForMessagesAsync(1));
        Assert.StartsWith("Your key inventory for ", message.Subject, StringComparison.Ordinal);
        Assert.EndsWith(": 1 key in use", message.Subject, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        using var pdf = new MemoryStream();
        await attachment.Content!.DecodeToAsync(pdf);
        var text = await InventoryReportTests.PdfTextAsync(pdf.ToArray());
        Assert.Contains("PROD — OpenAI — main", text, StringComparison.Ordinal);
        Assert.DoesNotContain(value[^8..], text + message.TextBody + message.HtmlBody, StringComparison.Ordinal);

        // The next month brings the next one.
        _host.Time.Advance(TimeSpan.FromDays(32));
        Assert.Equal(1, await Monthly.QueueDueAsync());
    }

    [Fact]
    public async Task TurnedOff_StopsTheNextOne()
    {
        await Monthly.SetEnabledAsync(_accountId, true, TestAccounts.Origin);
        await Monthly.SetEnabledAsync(_accountId, false, TestAccounts.Origin);

        Assert.Equal(0, await Monthly.QueueDueAsync());
    }
}
