using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

public sealed class VaultPageTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public async Task Render_WithKeys_ShowsHintsInTheirEnvironmentNeverValues()
    {
        var prod = TestAccounts.NewKeyValue();
        var dev = TestAccounts.NewKeyValue();
        await AddKeyAsync(prod, VaultEnvironment.Prod, "PROD — OpenAI — main");
        await AddKeyAsync(dev, VaultEnvironment.Dev, "DEV — OpenAI — tests");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("PROD (1)", page.Markup, StringComparison.Ordinal));
        Assert.Contains("DEV (1)", page.Markup, StringComparison.Ordinal);
        Assert.Contains("STAGING (0)", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(prod, page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain(dev, page.Markup, StringComparison.Ordinal);
        // The DEV folder is open first and shows its key's hint.
        Assert.Equal($"sk-…{dev[^4..]}", page.Find("[data-testid='masked-value']").TextContent);
    }

    [Fact]
    public async Task Reveal_ShowsValueRecordsItAndMasksAgainAfterThirtySeconds()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — OpenAI — tests");
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — tests']").Click();

        page.WaitForAssertion(() => Assert.Equal(value, page.Find("[data-testid='revealed-value']").TextContent));
        Time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(value, page.Find("[data-testid='revealed-value']").TextContent);
        Time.Advance(TimeSpan.FromSeconds(1));
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid='revealed-value']")));
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);

        var entry = Assert.Single(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 50), e => e.Action == ActivityAction.KeyRevealed);
        Assert.Equal("198.51.100.4", entry.IpAddress);
        Assert.Equal(VaultEnvironment.Dev, entry.Environment);
    }

    [Fact]
    public async Task Hide_MasksImmediately()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — key");
        var page = RenderPage();
        page.WaitForElement("button[aria-label='Reveal DEV — key']").Click();
        page.WaitForElement("[data-testid='revealed-value']");

        page.Find("button[aria-label='Hide DEV — key']").Click();

        Assert.Empty(page.FindAll("[data-testid='revealed-value']"));
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reveal_DamagedCiphertext_SaysSoInPlainWordsAndShowsNoValue()
    {
        var value = TestAccounts.NewKeyValue();
        var key = await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — damaged");
        await using (var db = await Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            var row = await db.ApiKeys.SingleAsync(k => k.Id == key.Id);
            row.Ciphertext[20] ^= 0xFF;
            db.Entry(row).Property(r => r.Ciphertext).IsModified = true;
            await db.SaveChangesAsync();
        }

        var snackbars = Render<MudSnackbarProvider>();
        var page = RenderPage();
        page.WaitForElement("button[aria-label='Reveal DEV — damaged']").Click();

        snackbars.WaitForAssertion(() => Assert.Contains("is damaged and cannot be shown", snackbars.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid='revealed-value']"));
    }

    [Fact]
    public async Task Copy_SendsValueToClipboardAndRecordsIt()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — copy me");
        var clipboard = JSInterop.Setup<bool>("creatorKeys.copyText", _ => true).SetResult(true);
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Copy DEV — copy me']").Click();

        page.WaitForAssertion(() => Assert.Single(clipboard.Invocations));
        Assert.Equal(value, clipboard.Invocations.Single().Arguments[0]);
        Assert.Contains(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 50), e => e.Action == ActivityAction.KeyCopied);
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_AfterConfirmation_RemovesKey()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — delete me");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Delete DEV — delete me']").Click();
        dialogs.WaitForElement("button:contains('Delete key')").Click();

        page.WaitForAssertion(() => Assert.Contains("DEV (0)", page.Markup, StringComparison.Ordinal));
        Assert.Empty(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsKey()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — keep me");
        var dialogs = Render<MudDialogProvider>();
        var page = RenderPage();

        page.WaitForElement("button[aria-label='Delete DEV — keep me']").Click();
        dialogs.WaitForElement("button:contains('Keep it')").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task Reveal_AfterVaultLocked_SendsToSignInInsteadOfShowingAnything()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Dev, "DEV — locked");
        var page = RenderPage();
        var button = page.WaitForElement("button[aria-label='Reveal DEV — locked']");

        Services.GetRequiredService<VaultSessionStore>().Lock(Session.Id, VaultLockReason.Idle);
        button.Click();

        var navigation = Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
        page.WaitForAssertion(() => Assert.Contains("account/sign-in", navigation.Uri, StringComparison.Ordinal));
        Assert.DoesNotContain(value, page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_MoreKeysThanAPage_RendersOnePageAndPagesThroughTheRest()
    {
        for (var i = 1; i <= KeyListQuery.DefaultPageSize + 3; i++)
        {
            await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, $"DEV — OpenAI — key {i:00}");
        }

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("DEV (28)", page.Markup, StringComparison.Ordinal));
        Assert.Equal(KeyListQuery.DefaultPageSize, page.FindAll("[data-testid='masked-value']").Count);
        Assert.Contains("Showing 1–25 of 28 DEV keys", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — key 25']"));

        page.Find("button[aria-label='Next page']").Click();

        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid='masked-value']").Count));
        Assert.Contains("Showing 26–28 of 28 DEV keys", page.Find("[data-testid='page-position']").TextContent, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — key 28']"));
        Assert.Empty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — key 01']"));
    }

    [Fact]
    public async Task Render_FewKeys_ShowsNoPager()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — only");

        var page = RenderPage();

        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — only']");
        Assert.Empty(page.FindAll("[data-testid='page-position']"));
        Assert.Empty(page.FindAll(".mud-pagination"));
    }

    [Fact]
    public async Task Tabs_ChoosingAFolder_ShowsItsKeysAndMarksItSelected()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — tests");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — main");
        var page = RenderPage();
        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — tests']");
        Assert.Equal("true", page.Find("#vault-tab-DEV").GetAttribute("aria-selected"));
        Assert.Equal("-1", page.Find("#vault-tab-PROD").GetAttribute("tabindex"));

        page.Find("#vault-tab-PROD").Click();

        page.WaitForElement("button[aria-label='Reveal PROD — OpenAI — main']");
        Assert.Empty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — tests']"));
        Assert.Equal("true", page.Find("#vault-tab-PROD").GetAttribute("aria-selected"));
        Assert.Equal("0", page.Find("#vault-tab-PROD").GetAttribute("tabindex"));
        Assert.Equal("false", page.Find("#vault-tab-DEV").GetAttribute("aria-selected"));
        // Only the open folder's panel exists, and it is named by its tab.
        Assert.Equal("vault-tab-PROD", page.Find("[role='tabpanel']").GetAttribute("aria-labelledby"));
        Assert.Equal("vault-folder", page.Find("#vault-tab-PROD").GetAttribute("aria-controls"));
        Assert.Null(page.Find("#vault-tab-DEV").GetAttribute("aria-controls"));
    }

    [Fact]
    public async Task StatusPicker_RetiredKeys_ListsOnlyRetiredKeysAndCountsThem()
    {
        var retired = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — old");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — new");
        Assert.True(await Vault.RetireKeyAsync(Session.AccountId, retired.Id, Browser));
        var page = RenderPage();
        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — new']");
        Assert.Empty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — old']"));

        page.Find("#vault-status").Change(nameof(KeyListStatus.Retired));

        page.WaitForElement("button[aria-label='Reveal DEV — OpenAI — old']");
        Assert.Empty(page.FindAll("button[aria-label='Reveal DEV — OpenAI — new']"));
        Assert.Equal("DEV (1)", page.Find("#vault-tab-DEV").TextContent);

        page.Find("#vault-status").Change(nameof(KeyListStatus.All));

        page.WaitForAssertion(() => Assert.Equal("DEV (2)", page.Find("#vault-tab-DEV").TextContent));
    }

    private IRenderedComponent<VaultPage> RenderPage() =>
        Render<VaultPage>(parameters => parameters.AddCascadingValue(Browser));
}
