using Bunit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>"Names by environment": the PROD workflow gap first, in words; a row per name; the "only missing" filter.</summary>
public sealed class NamesByEnvironmentPageTests : ComponentTestContext
{
    [Fact]
    public async Task Page_ShowsTheProdGapFirst_ThenEachNameByFolder()
    {
        var devKey = await AddNamedKeyAsync(VaultEnvironment.Dev, "OPENAI_API_KEY");
        await AddNamedKeyAsync(VaultEnvironment.Dev, "ELEVENLABS_API_KEY");
        await AddNamedKeyAsync(VaultEnvironment.Staging, "ELEVENLABS_API_KEY");
        await AddNamedKeyAsync(VaultEnvironment.Prod, "ELEVENLABS_API_KEY");
        var (_, errors) = await Services.GetRequiredService<WorkflowService>().SaveAsync(Session.AccountId, null,
            new WorkflowInput("Daily short", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(devKey.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        Assert.Empty(errors);

        var page = Render<NamesByEnvironmentPage>();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid='prod-gaps']")));
        var gaps = page.Find("[data-testid='prod-gaps']");
        Assert.Contains("Workflow “Daily short” runs in PROD and reads OPENAI_API_KEY, but PROD has no key with that name.", gaps.TextContent, StringComparison.Ordinal);
        Assert.True(page.Markup.IndexOf("prod-gaps", StringComparison.Ordinal) < page.Markup.IndexOf("<table", StringComparison.Ordinal));
        var rows = page.FindAll("tbody tr");
        Assert.Equal(["ELEVENLABS_API_KEY", "OPENAI_API_KEY"], rows.Select(r => r.QuerySelector("th")!.TextContent.Trim()));
        Assert.Equal(["Has a key", "Missing", "Missing"], rows[1].QuerySelectorAll("td").Select(c => c.TextContent.Trim()));
        Assert.Equal(["DEV", "STAGING", "PROD"], rows[1].QuerySelectorAll("td").Select(c => c.GetAttribute("data-label")));
    }

    [Fact]
    public async Task OnlyMissing_HidesNamesEveryFolderHas()
    {
        foreach (var environment in VaultEnvironments.All)
        {
            await AddNamedKeyAsync(environment, "ELEVENLABS_API_KEY");
        }

        await AddNamedKeyAsync(VaultEnvironment.Dev, "OPENAI_API_KEY");

        var all = Render<NamesByEnvironmentPage>();
        all.WaitForAssertion(() => Assert.Equal(2, all.FindAll("tbody tr").Count));
        Assert.Empty(all.FindAll("[data-testid='prod-gaps']"));

        Services.GetRequiredService<NavigationManager>().NavigateTo("vault/names?missing=true");
        var missing = Render<NamesByEnvironmentPage>();
        missing.WaitForAssertion(() => Assert.Single(missing.FindAll("tbody tr")));
        Assert.Equal("OPENAI_API_KEY", missing.Find("tbody th").TextContent.Trim());
        Assert.Equal("page", missing.FindAll("nav a").Single(a => a.TextContent.StartsWith("Only names missing", StringComparison.Ordinal)).GetAttribute("aria-current"));
    }

    [Fact]
    public void EmptyVault_SaysThereIsNothingToCompare()
    {
        var page = Render<NamesByEnvironmentPage>();

        page.WaitForAssertion(() => Assert.Contains("No keys in use yet", page.Markup, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("table"));
    }

    private async Task<KeySummary> AddNamedKeyAsync(VaultEnvironment environment, string exportName)
    {
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", environment, $"{environment.Code()} — OpenAI — {exportName}", TestAccounts.NewKeyValue(), ExportName: exportName), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }
}
