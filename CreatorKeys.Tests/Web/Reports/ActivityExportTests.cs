using System.Net;
using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Reports;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Core.Reports;
using CreatorKeys.Tests.Infrastructure;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Reports;

/// <summary>The activity log's CSV download: filters, formula safety, own log only.</summary>
public sealed class ActivityExportTests
{
    [Fact]
    public async Task Export_FiltersByEnvironment_NeutralisesFormulas_AndIsRecorded()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Reminders:TimeZone"] = "UTC" });
        using var client = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(client);
        var activity = app.Services.GetRequiredService<ActivityService>();
        await activity.RecordAsync(session.AccountId, ActivityAction.KeyRevealed, TestAccounts.Origin, targetName: "=HYPERLINK(\"http://evil.example\")", environment: VaultEnvironment.Prod);
        await activity.RecordAsync(session.AccountId, ActivityAction.KeyCopied, TestAccounts.Origin, targetName: "DEV — OpenAI", environment: VaultEnvironment.Dev);

        var response = await client.Http.GetAsync("activity/export.csv?environment=PROD");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Contains("\"'=HYPERLINK(", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var rows = new List<string[]>();
        using (var reader = CsvReader.Create(new MemoryStream(bytes)))
        {
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }

            Assert.Equal(ActivityService.CsvHeader, reader.Headers);
        }

        var row = Assert.Single(rows);
        Assert.Equal(("Revealed a key", "'=HYPERLINK(\"http://evil.example\")", "PROD"), (row[2], row[3], row[4]));
        Assert.All(rows.SelectMany(r => r), cell => Assert.False(SafeCsvTests.StartsLikeAFormula(cell), cell));
        Assert.Contains(await activity.ListRecentAsync(session.AccountId, 1), e => e.Action == ActivityAction.ActivityExported);
    }

    [Fact]
    public async Task Export_OnlyTheSignedInAccountsLog()
    {
        using var app = AppHost.Start(settings: new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        using var first = PageClient.For(app);
        var session = await app.SignUpThroughFormAsync(first);
        await app.Services.GetRequiredService<ActivityService>().RecordAsync(session.AccountId, ActivityAction.KeyRevealed, TestAccounts.Origin, targetName: "first's secret key name");
        using var second = PageClient.For(app);
        await app.SignUpThroughFormAsync(second, TestAccounts.OtherEmail);

        var csv = await second.Http.GetStringAsync("activity/export.csv");

        Assert.DoesNotContain("first's secret key name", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("activity/export.csv?from=28/11/2026", "Dates must look like 2026-11-28.")]
    [InlineData("activity/export.csv?from=2026-11-28&to=2026-11-01", "The end date is before the start date.")]
    [InlineData("activity/export.csv?action=Hacked", "That kind of activity is not one CreatorKeys records.")]
    public async Task Export_BadFilter_SaysWhatIsWrong(string path, string message)
    {
        using var app = AppHost.Start();
        using var client = PageClient.For(app);
        await app.SignUpThroughFormAsync(client);

        var response = await client.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
