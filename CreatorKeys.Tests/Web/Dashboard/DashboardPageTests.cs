using System.Globalization;
using Bunit;
using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Dashboard;

public sealed class DashboardPageTests : ComponentTestContext
{
    [Fact]
    public async Task Render_ShowsTheScoreFolderCountsWhatToFixAndWhatIsDone()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — tests");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — main");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — backup");
        var checklist = await Services.GetRequiredService<SecurityChecklistService>().EvaluateAsync(Session.AccountId);
        Assert.NotEmpty(checklist.Failed);
        Assert.Contains(checklist.Checks, c => c.Passed);

        var page = Render<DashboardPage>();

        var score = page.WaitForElement("[data-testid='security-score']");
        Assert.Equal($"Security score {checklist.Score} out of {checklist.MaximumScore}", score.GetAttribute("aria-label"));
        Assert.StartsWith(checklist.Score.ToString(CultureInfo.InvariantCulture), score.TextContent.Trim(), StringComparison.Ordinal);
        // The ring shows the same share of the maximum, in the color of the band.
        var ring = page.Find(".mud-progress-circular");
        var color = checklist.Score >= 80 ? "success" : checklist.Score >= 50 ? "warning" : "error";
        Assert.Contains($"mud-{color}-text", ring.ClassName, StringComparison.Ordinal);
        var offset = (int)(126 * (1 - ((double)checklist.Score / checklist.MaximumScore)));
        Assert.Contains($"stroke-dashoffset: {offset};", page.Find("circle").GetAttribute("style"), StringComparison.Ordinal);

        Assert.Equal("1 DEV key", page.Find("[aria-label$='DEV key']").GetAttribute("aria-label"));
        Assert.Equal("0", page.Find("[aria-label='0 STAGING keys']").TextContent);
        Assert.Equal("2", page.Find("[aria-label='2 PROD keys']").TextContent);
        Assert.Contains("key in use", page.Find("[aria-label='1 DEV key']").ParentElement!.TextContent, StringComparison.Ordinal);

        foreach (var check in checklist.Failed)
        {
            var item = page.Find($"[data-testid='check-{check.Id}']");
            Assert.Contains(check.Title, item.QuerySelector("h3")!.TextContent, StringComparison.Ordinal);
            var fix = item.QuerySelector("a")!;
            Assert.Equal(check.FixLink, fix.GetAttribute("href"));
            Assert.Equal($"Fix this: {check.Title}", fix.GetAttribute("aria-label"));
        }

        var done = page.FindAll(".ck-done-list li").Select(li => li.TextContent).ToList();
        Assert.Equal(checklist.Checks.Count(c => c.Passed), done.Count);
        Assert.All(checklist.Checks.Where(c => c.Passed), c => Assert.Contains(done, text => text.Contains(c.Title, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Render_DrawsCapsAgainstTheBudgetAndKeysByDueMonth_WithTheSameNumbersInText()
    {
        await AddCappedKeyAsync(VaultEnvironment.Dev, 5m, "DEV — OpenAI — tests");
        await AddCappedKeyAsync(VaultEnvironment.Staging, 20m, "STAGING — OpenAI — tests");
        await AddCappedKeyAsync(VaultEnvironment.Prod, 300m, "PROD — OpenAI — main");
        await AddCappedKeyAsync(VaultEnvironment.Prod, null, "PROD — OpenAI — spare");
        await Services.GetRequiredService<SetupService>().SetMonthlyBudgetAsync(Session.AccountId, 250m, TestAccounts.Origin);

        var page = Render<DashboardPage>();

        var charts = page.WaitForElements("figure.ck-chart", 2);
        Assert.Equal(
            "PROD keys may spend $300 a month: $50 over your $250 budget. 1 key has no cap and could spend anything.",
            page.Find("[data-testid='caps-summary']").TextContent);
        var mudCharts = page.FindComponents<MudChart<double>>();
        Assert.Equal(2, mudCharts.Count);
        var caps = mudCharts[0].Instance.ChartSeries;
        Assert.Equal([5d, 20d, 300d], caps[0].Data.Values);
        Assert.Equal([0d, 0d, 250d], caps[1].Data.Values);
        Assert.Equal(["DEV", "STAGING", "PROD"], mudCharts[0].Instance.ChartLabels);
        // Grid lines on round numbers: the largest bar is $300, so a line every $100.
        Assert.Equal(100, ((BarChartOptions)mudCharts[0].Instance.ChartOptions!).YAxisTicks);

        // New keys are due after the PROD schedule (90 days) or the test maximum (180 days): none overdue, none this month.
        var due = mudCharts[1].Instance.ChartSeries;
        Assert.All(due[0].Data.Values, v => Assert.Equal(0d, v));
        Assert.Equal(4d, due[1].Data.Values.Sum());
        Assert.Equal(0d, due[1].Data.Values[1]);
        Assert.StartsWith("Nothing is overdue. 0 due in ", page.Find("[data-testid='due-summary']").TextContent, StringComparison.Ordinal);

        // The drawings are hidden from screen readers; each figure names itself and carries its numbers as a table.
        Assert.All(page.FindAll(".ck-chart-drawing"), d => Assert.Equal("true", d.GetAttribute("aria-hidden")));
        var capRows = charts[0].QuerySelectorAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(["DEV$50", "STAGING$200", "PROD$3001", "Your monthly budget for live work$250"], capRows);
        Assert.Equal(4, charts[1].QuerySelectorAll("tbody td").Sum(td => int.Parse(td.TextContent, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Render_OverdueKeys_AreTheRedBarAndSaidFirst()
    {
        // Created at the provider 91 days ago, on the 90-day PROD schedule.
        await AddCappedKeyAsync(VaultEnvironment.Prod, 10m, "PROD — OpenAI — main", KeyIssueDate.Of(Time.GetUtcNow().AddDays(-91)));

        var page = Render<DashboardPage>();

        page.WaitForElements("figure.ck-chart", 2);
        var due = page.FindComponents<MudChart<double>>()[1].Instance;
        Assert.Equal("Overdue", due.ChartLabels[0]);
        Assert.Equal(1d, due.ChartSeries[0].Data.Values[0]);
        Assert.Equal(0d, due.ChartSeries[1].Data.Values.Sum());
        Assert.Equal("#D93A2F", ((StackedBarChartOptions)due.ChartOptions!).ChartPalette[0]);
        Assert.StartsWith("1 key is overdue (in red): replace it first.", page.Find("[data-testid='due-summary']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoKeys_DrawsNoCharts()
    {
        var page = Render<DashboardPage>();

        page.WaitForElement("[data-testid='security-score']");
        Assert.Empty(page.FindAll("figure.ck-chart"));
    }

    [Fact]
    public async Task Render_NoCapAnywhere_SaysSoInsteadOfDrawingZeroBars()
    {
        await AddCappedKeyAsync(VaultEnvironment.Dev, null, "DEV — OpenAI — tests");
        await AddCappedKeyAsync(VaultEnvironment.Prod, null, "PROD — OpenAI — main");

        var page = Render<DashboardPage>();

        var charts = page.WaitForElements("figure.ck-chart", 2);
        // "PROD keys may spend $0 a month" read as a promise: with no PROD cap, the truth is the opposite.
        Assert.Equal("No PROD key has a cap yet, so your live work could spend without limit. 2 keys have no cap.", page.Find("[data-testid='caps-summary']").TextContent);
        Assert.Contains("No key has a cap yet", page.Find("[data-testid='caps-empty']").TextContent, StringComparison.Ordinal);
        Assert.Equal("vault", page.Find("[data-testid='caps-empty'] a").GetAttribute("href"));
        // Only the due-date picture is drawn; the caps' numbers stay in the screen-reader table.
        Assert.Single(page.FindComponents<MudChart<double>>());
        Assert.Equal(4, charts[0].QuerySelectorAll("tbody tr").Length);
    }

    [Fact]
    public async Task Render_BudgetButNoProdCap_SaysLiveWorkCouldPassTheBudget()
    {
        await AddCappedKeyAsync(VaultEnvironment.Dev, 5m, "DEV — OpenAI — tests");
        await AddCappedKeyAsync(VaultEnvironment.Prod, null, "PROD — OpenAI — main");
        await Services.GetRequiredService<SetupService>().SetMonthlyBudgetAsync(Session.AccountId, 250m, TestAccounts.Origin);

        var page = Render<DashboardPage>();

        page.WaitForElements("figure.ck-chart", 2);
        Assert.Equal("No PROD key has a cap yet, so your live work could spend more than your $250 budget. 1 key has no cap.", page.Find("[data-testid='caps-summary']").TextContent);
        Assert.Empty(page.FindAll("[data-testid='caps-empty']"));
        Assert.Equal(2, page.FindComponents<MudChart<double>>().Count);
    }

    private async Task AddCappedKeyAsync(VaultEnvironment environment, decimal? cap, string label, KeyIssueDate issued = default)
    {
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", environment, label, TestAccounts.NewKeyValue(), MonthlyCapUsd: cap, CapSetAtProvider: cap is not null, IssueDate: issued), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
    }
}
