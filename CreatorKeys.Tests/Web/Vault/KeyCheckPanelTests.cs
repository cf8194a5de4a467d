using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>"Does it still work?" on a key's page, against a fake OpenAI on loopback.</summary>
public sealed class KeyCheckPanelTests : ComponentTestContext
{
    private readonly WireMockServer _openAi;

    public KeyCheckPanelTests()
        : this(WireMockServer.Start())
    {
    }

    private KeyCheckPanelTests(WireMockServer openAi)
        : base(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = openAi.Url + "/" }) => _openAi = openAi;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _openAi.Stop();
        _openAi.Dispose();
    }

    private IRenderedComponent<KeyDetailPage> RenderKeyPage(KeySummary key) =>
        Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));

    [Fact]
    public async Task Check_with_the_provider_shows_the_answer_and_remembers_it()
    {
        var value = TestAccounts.NewKeyValue();
        var key = await AddKeyAsync(value, VaultEnvironment.Prod, "PROD — OpenAI — main");
        _openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {value}"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""));
        var page = RenderKeyPage(key);
        page.WaitForAssertion(() => Assert.Equal("Not checked yet.", page.Find("[data-testid='last-check']").TextContent), TimeSpan.FromSeconds(15));

        page.FindAll("button").Single(b => b.TextContent.Contains("Check with OpenAI", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("Refused by OpenAI: the key was revoked, deleted or mistyped.", page.Find("[data-testid='check-result']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal("Last checked today: refused.", page.Find("[data-testid='last-check']").TextContent);
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
        Assert.Contains(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 10), e => e.Action == ActivityAction.KeyChecked);

        // The page renders again without reading the key again (opening the schedule editor): the panel keeps the verdict
        // it has just made, not the "never checked" the page read before it.
        page.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Change the replacement schedule").Click();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("button"), b => b.TextContent.Contains("Cancel", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        Assert.Equal("Last checked today: refused.", page.Find("[data-testid='last-check']").TextContent);
        Assert.Contains("Refused by OpenAI", page.Find("[data-testid='check-result']").TextContent, StringComparison.Ordinal);

        // A later visit shows the kept verdict and its age (the check is made three days older: moving the clock
        // would lock the idle vault).
        var factory = Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var record = await db.KeyChecks.SingleAsync(c => c.KeyId == key.Id);
            record.CheckedAt -= TimeSpan.FromDays(3);
            await db.SaveChangesAsync();
        }

        var again = RenderKeyPage(key);
        again.WaitForAssertion(() => Assert.Equal("Last checked 3 days ago: refused.", again.Find("[data-testid='last-check']").TextContent), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_service_without_a_check_says_so_instead_of_offering_a_button()
    {
        var key = (await Vault.AddKeyAsync(Session, new NewKeyInput("Runway", VaultEnvironment.Dev, "DEV — Runway — main", "key_" + Guid.NewGuid().ToString("N")), TestAccounts.Origin, acceptShapeWarning: true)).Key!;

        var page = RenderKeyPage(key);

        page.WaitForAssertion(() => Assert.Contains("CreatorKeys cannot ask Runway about a key", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Contains("Check with", StringComparison.Ordinal));
    }
}
