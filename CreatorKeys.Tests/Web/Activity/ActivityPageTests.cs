using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Web.Components.Pages.Activity;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Activity;

/// <summary>The Activity page in plain words: the seal, the code to keep, and checking against a kept code.</summary>
public sealed class ActivityPageTests : ComponentTestContext
{
    private static readonly string[] TechnicalWords = ["hash", "HMAC", "SHA", "chain", "checksum"];

    [Fact]
    public void Render_VisibleTextIsPlain_AndTheTechnicalWordsWaitBehindTheDisclosure()
    {
        var page = RenderPage();

        var details = page.Find("[data-testid='technical-details']");
        Assert.Equal("DETAILS", details.TagName);
        Assert.False(details.HasAttribute("open"));
        Assert.Equal("Technical details", details.QuerySelector("summary")!.TextContent.Trim());
        var visible = string.Concat(page.Nodes.Select(n => n.TextContent)).Replace(details.TextContent, "", StringComparison.Ordinal);
        foreach (var word in TechnicalWords)
        {
            Assert.DoesNotContain(word, visible, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("sealed so any change shows", visible, StringComparison.Ordinal);
        Assert.Contains("HMAC-SHA256", details.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ShowsTheCurrentCheckpointCode()
    {
        var checkpoint = await Services.GetRequiredService<ActivityChain>().CurrentCheckpointAsync(Session.AccountId);

        var page = RenderPage();

        Assert.Equal(checkpoint!.Code.ToString(), page.Find("[data-testid='checkpoint-code']").TextContent);
    }

    [Fact]
    public async Task KeptCode_Malformed_GetsAMessageAndChecksNothing()
    {
        var page = RenderPage();

        page.Find(".ck-kept-code input").Change("42-7F3A");
        await page.Find("form").SubmitAsync();

        Assert.Contains("That is not a checkpoint code", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid='verify-result']"));
    }

    [Fact]
    public async Task KeptCode_AfterTheNewestEntriesWereCutOff_SaysHowManyAreMissing()
    {
        var activity = Services.GetRequiredService<ActivityService>();
        await activity.RecordAsync(Session.AccountId, ActivityAction.KeyCopied, Infrastructure.TestAccounts.Origin, targetName: "one");
        await activity.RecordAsync(Session.AccountId, ActivityAction.KeyCopied, Infrastructure.TestAccounts.Origin, targetName: "two");
        var kept = (await Services.GetRequiredService<ActivityChain>().CurrentCheckpointAsync(Session.AccountId))!.Code;
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            await db.Activity.Where(e => e.AccountId == Session.AccountId && e.Sequence > 1).ExecuteDeleteAsync();
            await db.ActivityCheckpoints.Where(c => c.AccountId == Session.AccountId).ExecuteDeleteAsync();
        }

        var page = RenderPage();
        page.Find(".ck-kept-code input").Change(kept.ToString().ToLowerInvariant());
        await page.Find("form").SubmitAsync();

        var result = page.WaitForElement("[data-testid='verify-result']");
        Assert.Contains("The newest 2 entries are missing", result.TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<ActivityPage> RenderPage()
    {
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<ActivityPage>();
        page.WaitForElement("[data-testid='technical-details']");
        return page;
    }
}
