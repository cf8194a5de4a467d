using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Rotation;
using CreatorKeys.Web.Components.Pages.Setup;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>
/// The key check offered where a key is stored or replaced (issue 21 §1): the guided setup's keys step, rotation
/// step 1 (a refused new key is not stored) and step 4 (a refused old key is deleted for good), against a fake OpenAI.
/// </summary>
public sealed class KeyCheckOffersTests : ComponentTestContext
{
    private const string Refused = """{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");
    private readonly WireMockServer _openAi;

    public KeyCheckOffersTests()
        : this(WireMockServer.Start())
    {
    }

    private KeyCheckOffersTests(WireMockServer openAi)
        : base(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = openAi.Url + "/" })
    {
        _openAi = openAi;
        // Every log line at Trace, HttpClient's own included: no key value may be in any of them.
        Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
    }

    private readonly LogCapture _logs = new();

    private RotationService Rotations => Services.GetRequiredService<RotationService>();

    private IEnumerable<string> AppLines() => _logs.Lines.Where(line => !line.Contains(" Bunit.", StringComparison.Ordinal));

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _openAi.Stop();
        _openAi.Dispose();
    }

    private void OpenAiAnswers(string value, int status, string body) =>
        _openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {value}"))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));

    [Fact]
    public async Task SetupKeysStep_StoredKey_OffersTheCheckAndSaysTheAnswerInPlainWords()
    {
        var value = TestAccounts.NewKeyValue();
        OpenAiAnswers(value, 200, """{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"}]}""");
        var key = await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — OpenAI — main");
        var slot = Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, ProviderCatalog.Shipped.Find("openai")!)
            .Add(s => s.Slot, new KeySlot(VaultEnvironment.Dev, SlotState.Stored, key))
            .AddCascadingValue(Browser));

        slot.WaitForAssertion(() => Assert.Single(slot.FindAll("button"), b => b.TextContent.Contains("Check it with OpenAI", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));
        slot.FindAll("button").Single(b => b.TextContent.Contains("Check it with OpenAI", StringComparison.Ordinal)).Click();

        slot.WaitForAssertion(() => Assert.Contains("Works: OpenAI accepted this key.", slot.Find("[role=status] [data-testid='check-result']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(value, slot.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupKeysStep_ServiceWithoutACheck_ShowsNoButton()
    {
        var key = (await Vault.AddKeyAsync(Session, new NewKeyInput("Runway", VaultEnvironment.Dev, "DEV — Runway — main", "key_" + Guid.NewGuid().ToString("N")), Browser, acceptShapeWarning: true)).Key!;
        var slot = Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, new ProviderInfo { Id = "runway", Name = "Runway", Category = ProviderCategory.VideoAndAvatars })
            .Add(s => s.Slot, new KeySlot(VaultEnvironment.Dev, SlotState.Stored, key))
            .AddCascadingValue(Browser));

        slot.WaitForAssertion(() => Assert.Contains("Stored as", slot.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain(slot.FindAll("button"), b => b.TextContent.Contains("Check it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotationStep1_RefusedNewKey_IsNotStoredAndAsksToPasteAgain()
    {
        var old = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — main");
        var rotation = (await Rotations.StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;
        var mistyped = TestAccounts.NewKeyValue();
        OpenAiAnswers(mistyped, 401, Refused);
        var page = Render<RotationDetailPage>(p => p.Add(r => r.RotationId, rotation.Id).AddCascadingValue(Browser));
        page.WaitForAssertion(() => Assert.Contains("Step 1: create the new key", page.Markup, StringComparison.Ordinal));

        page.Find("input[type=password]").Change(mistyped);
        page.FindAll("button").Single(b => b.TextContent.Contains("Save the new key", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("OpenAI refused this key", page.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains("Step 1: create the new key", page.Markup, StringComparison.Ordinal);
        Assert.Equal(RotationStep.NewKey, (await Rotations.GetAsync(Session.AccountId, rotation.Id))!.Step);
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
        Assert.DoesNotContain(mistyped, page.Markup, StringComparison.Ordinal);

        // Pasting the right key moves on, and says the new key works.
        var good = TestAccounts.NewKeyValue();
        OpenAiAnswers(good, 200, """{"object":"list","data":[]}""");
        page.Find("input[type=password]").Change(good);
        page.FindAll("button").Single(b => b.TextContent.Contains("Save", StringComparison.Ordinal) && b.TextContent.Contains("new key", StringComparison.Ordinal) || b.TextContent.Contains("Save anyway", StringComparison.Ordinal)).Click();
        page.WaitForAssertion(() => Assert.Contains("The new key works: OpenAI accepted it.", page.Find("[data-testid='new-key-check']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Equal(RotationStep.UpdateWorkflows, (await Rotations.GetAsync(Session.AccountId, rotation.Id))!.Step);
        Assert.Contains(_logs.Lines, line => line.Contains("/v1/models", StringComparison.Ordinal));
        // bUnit's own lines (the test typing into the field) are the harness, not the app.
        Assert.DoesNotContain(AppLines(), line => line.Contains(mistyped, StringComparison.Ordinal) || line.Contains(good, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RotationStep4_OldKeyRefused_SaysDeletedForGoodAndTicksTheBox()
    {
        var oldValue = TestAccounts.NewKeyValue();
        var old = await AddKeyAsync(oldValue, VaultEnvironment.Prod, "PROD — OpenAI — main");
        var rotation = (await Rotations.StartAsync(Session.AccountId, old.Id, RotationReason.Scheduled, null, Browser)).Rotation!;
        await Rotations.AddNewKeyAsync(Session, rotation.Id, "PROD — OpenAI — next", TestAccounts.NewKeyValue(), Browser, acceptShapeWarning: true);
        Assert.True((await Rotations.RetireOldKeyAsync(Session.AccountId, rotation.Id, null, Browser)).Succeeded);
        OpenAiAnswers(oldValue, 401, Refused);
        var page = Render<RotationDetailPage>(p => p.Add(r => r.RotationId, rotation.Id).AddCascadingValue(Browser));
        page.WaitForAssertion(() => Assert.Contains("Step 4", page.Markup, StringComparison.Ordinal));

        page.FindAll("button").Single(b => b.TextContent.Contains("Check the old key with OpenAI", StringComparison.Ordinal)).Click();

        page.WaitForAssertion(() => Assert.Contains("The old key is now refused by OpenAI: deleted for good.", page.Find("[data-testid='check-result']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var box = page.FindAll("label").Single(l => l.TextContent.Contains($"I deleted the key ending {oldValue[^4..]}", StringComparison.Ordinal)).QuerySelector("input")!;
        Assert.True(((AngleSharp.Html.Dom.IHtmlInputElement)box).IsChecked);
        Assert.DoesNotContain(AppLines(), line => line.Contains(oldValue, StringComparison.Ordinal));
    }
}

/// <summary>With <c>CreatorKeys:Providers:Calls = Off</c> no check button shows anywhere, and one sentence says why.</summary>
public sealed class KeyChecksOffTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    public KeyChecksOffTests()
        : base(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:Calls"] = "Off" })
    {
    }

    [Fact]
    public async Task CallsOff_SetupAndKeyPage_HideEveryCheckButtonAndSayWhy()
    {
        var key = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — main");
        var slot = Render<KeySlotEditor>(p => p
            .Add(s => s.Provider, ProviderCatalog.Shipped.Find("openai")!)
            .Add(s => s.Slot, new KeySlot(VaultEnvironment.Dev, SlotState.Stored, key))
            .AddCascadingValue(Browser));
        var keyPage = Render<CreatorKeys.Web.Components.Pages.Vault.KeyDetailPage>(p => p.Add(k => k.KeyId, key.Id));
        var dashboard = Render<CreatorKeys.Web.Components.Pages.Dashboard.CheckAllKeysCard>();

        slot.WaitForAssertion(() => Assert.Contains("Checks with providers are turned off on this CreatorKeys", slot.Markup, StringComparison.Ordinal));
        keyPage.WaitForAssertion(() => Assert.Contains("Checks with providers are turned off on this CreatorKeys", keyPage.Markup, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains("Checks with providers are turned off on this CreatorKeys", dashboard.Find("[data-testid='checks-off']").TextContent, StringComparison.Ordinal);
        Assert.Empty(dashboard.FindAll("button"));
        Assert.DoesNotContain(slot.FindAll("button"), b => b.TextContent.Contains("Check", StringComparison.Ordinal));
        Assert.DoesNotContain(keyPage.FindAll("button"), b => b.TextContent.Contains("Check with", StringComparison.Ordinal));
    }
}

/// <summary>"Check all my keys" on the dashboard, and the vault's "last checked" line, against a fake OpenAI.</summary>
public sealed class CheckAllKeysTests : ComponentTestContext
{
    private readonly WireMockServer _openAi;

    public CheckAllKeysTests()
        : this(WireMockServer.Start())
    {
    }

    private CheckAllKeysTests(WireMockServer openAi)
        : base(new Dictionary<string, string?> { [$"{ProviderConnectionOptions.Section}:openai:BaseAddress"] = openAi.Url + "/" })
    {
        _openAi = openAi;
        // Every log line at Trace, HttpClient's own included: no key value may be in any of them.
        Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
    }

    private readonly LogCapture _logs = new();

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _openAi.Stop();
        _openAi.Dispose();
    }

    [Fact]
    public async Task CheckAll_TwoKeys_ShowsProgressThenASummaryNamingTheRefusedKey_AndTheVaultShowsLastChecked()
    {
        var good = TestAccounts.NewKeyValue();
        var bad = TestAccounts.NewKeyValue();
        await AddKeyAsync(good, VaultEnvironment.Prod, "PROD — OpenAI — main");
        await AddKeyAsync(bad, VaultEnvironment.Dev, "DEV — OpenAI — old");
        _openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {good}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"list","data":[]}"""));
        _openAi.Given(Request.Create().WithPath("/v1/models").UsingGet().WithHeader("Authorization", $"Bearer {bad}"))
            .RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""));
        var card = Render<CreatorKeys.Web.Components.Pages.Dashboard.CheckAllKeysCard>();

        card.FindAll("button").Single(b => b.TextContent.Contains("Check all my keys", StringComparison.Ordinal)).Click();

        card.WaitForAssertion(() => Assert.Equal("1 work · 1 refused: DEV — OpenAI — old", card.Find("[data-testid='check-all-summary']").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal("Checked 2 of 2 keys", card.Find("[data-testid='check-all-progress']").GetAttribute("aria-label"));
        Assert.Contains(_logs.Lines, line => line.Contains("/v1/models", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(good, StringComparison.Ordinal) || line.Contains(bad, StringComparison.Ordinal));

        var vault = Render<CreatorKeys.Web.Components.Pages.Vault.VaultPage>();
        // The vault opens on its first folder with keys, DEV: its key shows the refusal, on the table and on the phone card.
        vault.WaitForAssertion(() => Assert.Contains("last checked: refused, today", vault.Find("[data-testid='last-checked']").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.Contains("last checked: refused, today", vault.Find("[data-testid='key-card-details']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_NothingToCheck_SaysSo()
    {
        Assert.Equal("None of your keys in use is with a service CreatorKeys can ask.", CreatorKeys.Web.Components.Pages.Dashboard.CheckAllKeysCard.Summary([], 0));
    }
}
