using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>"Download as .env": asks (PROD typed), confirms it's you, then hands the browser the file; an empty folder says so.</summary>
public sealed class DotEnvDownloadButtonTests : ComponentTestContext
{
    private static readonly RequestOrigin Browser = new("198.51.100.4", "bUnit");

    [Fact]
    public void EmptyFolder_TheButtonIsDisabled_AndSaysWhy()
    {
        var button = RenderButton(VaultEnvironment.Staging, keysInUse: 0);

        Assert.True(button.Find("button").HasAttribute("disabled"));
        Assert.Equal("Nothing to download: STAGING has no keys in use.", button.Find("[data-testid='dotenv-nothing']").TextContent.Trim());
    }

    [Fact]
    public async Task Prod_AsksForPRODTyped_ThenThePassword_ThenDownloadsAndLogs()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "PROD — OpenAI — main");
        var dialogs = Render<MudDialogProvider>();
        var button = RenderButton(VaultEnvironment.Prod, keysInUse: 1);

        button.Find("button").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Download PROD as .env?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("set to Mock are in it with their real values too", dialogs.Markup, StringComparison.Ordinal);
        Assert.True(DownloadButton(dialogs).HasAttribute("disabled"));

        dialogs.Find("input").Input("prod");
        Assert.True(DownloadButton(dialogs).HasAttribute("disabled"));
        dialogs.Find("input").Input("PROD");
        DownloadButton(dialogs).Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Confirm it's you", dialogs.Markup, StringComparison.Ordinal));
        dialogs.Find("form#confirm-its-you-form input[type='password']").Input(TestAccounts.Password);
        dialogs.Find("form#confirm-its-you-form").Submit();

        await button.WaitForAssertionAsync(() => JSInterop.VerifyInvoke("creatorKeys.downloadStream"), TimeSpan.FromSeconds(20));
        Assert.Equal("creatorkeys-prod.env", JSInterop.VerifyInvoke("creatorKeys.downloadStream").Arguments[0]);
        Assert.Contains(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 50), e => e.Action == ActivityAction.EnvironmentDownloaded);
    }

    [Fact]
    public async Task Dev_AsksWithoutTyping_AndCancelDownloadsNothing()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — tests");
        var dialogs = Render<MudDialogProvider>();
        var button = RenderButton(VaultEnvironment.Dev, keysInUse: 1);

        button.Find("button").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Download DEV as .env?", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(dialogs.FindAll("input"));
        Assert.False(DownloadButton(dialogs).HasAttribute("disabled"));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll(".mud-dialog")));
        JSInterop.VerifyNotInvoke("creatorKeys.downloadStream");
        Assert.DoesNotContain(await Services.GetRequiredService<ActivityService>().ListRecentAsync(Session.AccountId, 50), e => e.Action == ActivityAction.EnvironmentDownloaded);
    }

    private static AngleSharp.Dom.IElement DownloadButton(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Download");

    private IRenderedComponent<DownloadDotEnvButton> RenderButton(VaultEnvironment environment, int keysInUse) =>
        Render<DownloadDotEnvButton>(p => p.Add(x => x.Environment, environment).Add(x => x.KeysInUse, keysInUse).AddCascadingValue(Browser));
}
