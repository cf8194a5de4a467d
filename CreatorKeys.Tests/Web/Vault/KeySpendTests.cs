using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Dashboard;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>Spend on a key's page ("Read spend now", the sentence and its labelled bar) and the dashboard's card, against a fake OpenRouter.</summary>
public sealed class KeySpendTests : ComponentTestContext
{
    private readonly WireMockServer _openRouter;

    public KeySpendTests()
        : this(WireMockServer.Start())
    {
    }

    private KeySpendTests(WireMockServer openRouter)
        : base(new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:openrouter:BaseAddress"] = openRouter.Url + "/",
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
        }) => _openRouter = openRouter;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _openRouter.Stop();
        _openRouter.Dispose();
    }

    private static string NewOpenRouterValue() => "sk-or-v1-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");

    private async Task<KeySummary> AddOpenRouterKeyAsync(string value, string label, decimal? cap)
    {
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenRouter", VaultEnvironment.Prod, label, value, ProviderId: "openrouter", MonthlyCapUsd: cap), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private async Task KeepSpendAsync(Guid keyId, decimal used)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        db.KeySpends.Add(new KeySpend { KeyId = keyId, AccountId = Session.AccountId, ReadAt = Time.GetUtcNow(), Unit = SpendUnit.Dollars, UsedThisMonth = used });
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task KeyPage_ReadSpendNow_ShowsTheSentenceAndALabelledBar_AndKeepsTheFigure()
    {
        var value = NewOpenRouterValue();
        var key = await AddOpenRouterKeyAsync(value, "PROD — OpenRouter — main", cap: 20);
        _openRouter.Given(Request.Create().WithPath("/api/v1/key").UsingGet().WithHeader("Authorization", $"Bearer {value}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"data":{"limit":null,"limit_remaining":null,"limit_reset":null,"usage":30,"usage_daily":1,"usage_weekly":4,"usage_monthly":17}}"""));
        var page = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));
        page.WaitForAssertion(() => Assert.Equal("Not read yet.", page.Find("[data-testid='spend-none']").TextContent), TimeSpan.FromSeconds(15));

        page.FindAll("button").Single(b => b.TextContent.Contains("Read spend now", StringComparison.Ordinal)).Click();

        var asOf = Time.GetUtcNow().UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture) + " UTC";
        page.WaitForAssertion(() => Assert.Contains($"Spent $17 of $20 this month (as of {asOf}), against the monthly cap recorded on this key.", page.Find("[data-testid='spend-sentence']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var bar = page.Find("[data-testid='spend-bar']");
        Assert.Equal("Spend of PROD — OpenRouter — main", bar.GetAttribute("aria-label"));
        Assert.Equal("85% of its cap used", bar.GetAttribute("aria-valuetext"));
        Assert.Equal("85", bar.GetAttribute("aria-valuenow"));
        Assert.Contains("Near its cap", page.Find("[data-testid='spend-flag']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
        Assert.Contains(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 10), e => e.Action == ActivityAction.SpendRead);

        var again = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));
        again.WaitForAssertion(() => Assert.Contains("Spent $17 of $20 this month", again.Find("[data-testid='spend-sentence']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task KeyPage_RefusedKey_SaysSoInPlainWords_AndKeepsNoFigure()
    {
        var value = NewOpenRouterValue();
        var key = await AddOpenRouterKeyAsync(value, "PROD — OpenRouter — gone", cap: 20);
        _openRouter.Given(Request.Create().WithPath("/api/v1/key").UsingGet()).RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"code":401,"message":"User not found."}}"""));
        var page = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='spend-none']")), TimeSpan.FromSeconds(15));

        page.FindAll("button").Single(b => b.TextContent.Contains("Read spend now", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("Refused by OpenRouter", page.Find("[data-testid='spend-result']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(page.FindAll("[data-testid='spend-bar']"));
    }

    [Fact]
    public async Task KeyPage_ServiceWithoutASpendReading_SaysSo_WithoutAButton()
    {
        // Groq documents no spend call (OpenAI's is per project: OpenAiKeySpendTests).
        var key = (await Vault.AddKeyAsync(Session, new NewKeyInput("Groq", VaultEnvironment.Prod, "PROD — Groq — main", "gsk_GroqSpendValue0123456789abcdefWXYZ0123456789ab", "groq"), TestAccounts.Origin, acceptShapeWarning: true)).Key!;

        var page = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));

        page.WaitForAssertion(() => Assert.Contains("cannot read Groq's spend", page.Find("[data-testid='spend-unavailable']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Read spend now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DashboardCard_ListsKeysWorstFirst_EachWithItsBar_FlaggingEightyPercentInWords()
    {
        var over = await AddOpenRouterKeyAsync(NewOpenRouterValue(), "PROD — OpenRouter — over", cap: 10);
        var near = await AddOpenRouterKeyAsync(NewOpenRouterValue(), "PROD — OpenRouter — near", cap: 20);
        var calm = await AddOpenRouterKeyAsync(NewOpenRouterValue(), "PROD — OpenRouter — calm", cap: 100);
        await AddOpenRouterKeyAsync(NewOpenRouterValue(), "PROD — OpenRouter — never read", cap: 100);
        await KeepSpendAsync(calm.Id, 5m);
        await KeepSpendAsync(over.Id, 12m);
        await KeepSpendAsync(near.Id, 16m);

        var card = Render<KeySpendCard>();

        card.WaitForAssertion(() => Assert.Equal(3, card.FindAll("[data-testid='spend-standing']").Count), TimeSpan.FromSeconds(15));
        var items = card.FindAll("[data-testid='spend-standing']");
        Assert.Contains("over", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Over its cap:", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("near", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Near its cap:", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("calm", items[2].TextContent, StringComparison.Ordinal);
        Assert.Empty(items[2].QuerySelectorAll("[data-testid='spend-flag']"));
        Assert.Equal(["over its cap: 120% used", "80% of its cap used", "5% of its cap used"], card.FindAll("[data-testid='spend-bar']").Select(b => b.GetAttribute("aria-valuetext")));
        Assert.Contains("2 keys are at 80% of their cap or more.", card.Find("[data-testid='spend-near-count']").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("never read", card.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void DashboardCard_NoFigureKept_RendersNothing()
    {
        var card = Render<KeySpendCard>();

        card.WaitForAssertion(() => Assert.Empty(card.FindAll("[data-testid='spend-card']")), TimeSpan.FromSeconds(5));
        Assert.Equal("", card.Markup.Trim());
    }
}
