using Bunit;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>
/// OpenAI spend on a key's page: it says the figure is the project's (every key in it), says what is missing (the admin
/// key, the project) with a link to where to set it, and reads the project's costs from a fake OpenAI once both are there.
/// </summary>
public sealed class OpenAiKeySpendTests : ComponentTestContext
{
    private const string AdminValue = "sk-admin-PanelAdminValue0123456789abcdefWXYZ";
    private readonly WireMockServer _openAi;

    public OpenAiKeySpendTests()
        : this(WireMockServer.Start())
    {
    }

    private OpenAiKeySpendTests(WireMockServer openAi)
        : base(new Dictionary<string, string?>
        {
            [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = openAi.Url + "/",
            [$"{ProviderConnectionOptions.Section}:RetryDelayMilliseconds"] = "0",
        }) => _openAi = openAi;

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _openAi.Stop();
        _openAi.Dispose();
    }

    private async Task<KeySummary> AddAsync(string value, string label, bool management = false, decimal? cap = null)
    {
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, label, value, "openai", cap, IsManagementKey: management), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    private static string Words(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    [Fact]
    public async Task KeyPage_WithoutAdminKeyOrProject_SaysTheFigureIsTheProjectsAndWhatIsMissing()
    {
        var key = await AddAsync("sk-proj-PanelKeyValue0123456789abcdefWXYZ", "PROD — OpenAI — main", cap: 50);

        var page = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));

        page.WaitForAssertion(() => Assert.Contains("the spend of this key's project this month, which counts every key in that project, not only this one", Words(page.Find("[data-testid='spend-project-note']").TextContent), StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var admin = page.Find("[data-testid='spend-missing-admin-key']");
        Assert.Contains("Reading it needs your OpenAI admin key, stored in PROD and marked as a management key", Words(admin.TextContent), StringComparison.Ordinal);
        Assert.Equal("vault", admin.QuerySelector("a")!.GetAttribute("href"));
        var project = page.Find("[data-testid='spend-missing-project']");
        Assert.Contains("project is not chosen yet", Words(project.TextContent), StringComparison.Ordinal);
        Assert.Equal($"vault/keys/{key.Id}#provider-key-heading", project.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains(page.FindAll("button"), b => b.TextContent.Contains("Read the project's spend now", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyPage_ReadTheProjectsSpend_WithTheAdminKey_ShowsTheFigure()
    {
        await AddAsync(AdminValue, "PROD — OpenAI — admin", management: true);
        var key = await AddAsync("sk-proj-PanelKeyValue0123456789abcdefWXYZ", "PROD — OpenAI — main", cap: 50);
        Assert.True((await Vault.SetProviderKeyIdAsync(Session, key.Id, null, "proj_abc", TestAccounts.Origin)).Succeeded);
        await Services.ConfirmItsYouAsync(Session);
        _openAi.Given(Request.Create().WithPath("/v1/organization/costs").UsingGet().WithHeader("Authorization", $"Bearer {AdminValue}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(
                """{"object":"page","data":[{"object":"bucket","start_time":1764547200,"end_time":1764633600,"results":[{"object":"organization.costs.result","amount":{"value":12.4,"currency":"usd"},"line_item":null,"project_id":"proj_abc"}]}],"has_more":false,"next_page":null}"""));
        var page = Render<KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));
        page.WaitForAssertion(() => Assert.Contains("spend of project proj_abc this month", Words(page.Find("[data-testid='spend-project-note']").TextContent), StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Empty(page.FindAll("[data-testid='spend-missing-admin-key'], [data-testid='spend-missing-project']"));

        page.FindAll("button").Single(b => b.TextContent.Contains("Read the project's spend now", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("Spent $12.40 of $50 this month", page.Find("[data-testid='spend-sentence']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Single(_openAi.LogEntries);
        Assert.DoesNotContain(AdminValue, page.Markup, StringComparison.Ordinal);
    }
}
