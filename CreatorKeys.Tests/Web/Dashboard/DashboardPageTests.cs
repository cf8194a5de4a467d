using System.Globalization;
using Bunit;
using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Dashboard;
using Microsoft.Extensions.DependencyInjection;

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

        Assert.Equal("1 DEV keys", page.Find("[aria-label$='DEV keys']").GetAttribute("aria-label"));
        Assert.Equal("0", page.Find("[aria-label='0 STAGING keys']").TextContent);
        Assert.Equal("2", page.Find("[aria-label='2 PROD keys']").TextContent);
        Assert.Contains("key in use", page.Find("[aria-label='1 DEV keys']").ParentElement!.TextContent, StringComparison.Ordinal);

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
}
