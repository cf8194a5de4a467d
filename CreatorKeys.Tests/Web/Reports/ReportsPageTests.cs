using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Reports;

namespace CreatorKeys.Tests.Web.Reports;

/// <summary>The reports page's full table shows 50 keys at a time with a pager, so a big vault never renders every row.</summary>
public sealed class ReportsPageTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public async Task Render_MoreKeysThanATablePage_ShowsFiftyAndPagesThroughTheRest()
    {
        for (var i = 1; i <= ReportTable.PageSize + 3; i++)
        {
            await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, $"DEV — OpenAI — key {i:00}");
        }

        var page = Render<ReportsPage>(parameters => parameters.AddCascadingValue(Browser));

        page.WaitForAssertion(() => Assert.Contains("Showing 1–50 of 53 keys", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal));
        var rows = page.FindAll("[aria-label='Keys in this report'] tbody tr");
        Assert.Equal(ReportTable.PageSize, rows.Count);
        Assert.Contains("DEV — OpenAI — key 01", rows[0].TextContent, StringComparison.Ordinal);
        // The short list of cards (phones) stops at 50 too, and its button says how many there are.
        Assert.Equal(50, page.FindAll("[data-testid='report-card']").Count);
        Assert.Contains("Show every key (53)", page.Find(".ck-report-show-all").TextContent, StringComparison.Ordinal);

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[aria-label='Keys in this report'] tbody tr").Count));
        Assert.Contains("Showing 51–53 of 53 keys", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal);
        Assert.Contains("DEV — OpenAI — key 53", page.Find("[aria-label='Keys in this report'] tbody").TextContent, StringComparison.Ordinal);
        Assert.True(page.Find("button[aria-label='Next page']").HasAttribute("disabled"));
    }

    [Fact]
    public void Render_NoKeys_SaysSoInTheTableWithoutAPager()
    {
        var page = Render<ReportsPage>(parameters => parameters.AddCascadingValue(Browser));

        page.WaitForAssertion(() => Assert.Equal("No key matches these filters.", page.Find("[aria-label='Keys in this report'] tbody td").TextContent));
        Assert.Empty(page.FindAll("[data-testid='page-position']"));
    }
}
