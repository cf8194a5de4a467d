using Bunit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>The key page's "Name for programs": shown, changed, refused in plain words with nothing changed.</summary>
public sealed class ExportNamePanelTests : ComponentTestContext
{
    [Fact]
    public async Task Rename_TakenName_IsRefusedNextToTheField_ValidName_IsSaved()
    {
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — a");
        var second = await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "DEV — OpenAI — b");
        var panel = Render<ExportNamePanel>(p => p.Add(x => x.Key, second).Add(x => x.Origin, TestAccounts.Origin));
        panel.WaitForAssertion(() => Assert.Equal("OPENAI_API_KEY_2", panel.Find("input").GetAttribute("value")));

        panel.Find("input").Change("OPENAI_API_KEY");
        panel.Find("form").Submit();

        panel.WaitForAssertion(() => Assert.Contains("already the name of “DEV — OpenAI — a” in DEV", panel.Markup, StringComparison.Ordinal));
        var names = Services.GetRequiredService<ExportNameService>();
        Assert.Equal("OPENAI_API_KEY_2", (await names.GetAsync(Session.AccountId, second.Id))!.Value.Name);

        panel.Find("input").Change("OPENAI_SHORTS_KEY");
        panel.Find("form").Submit();

        panel.WaitForAssertion(() => Assert.Contains("programs read this key as OPENAI_SHORTS_KEY", panel.Markup, StringComparison.Ordinal));
        Assert.Equal("OPENAI_SHORTS_KEY", (await names.GetAsync(Session.AccountId, second.Id))!.Value.Name);

        // The panel starts from the key the page read (no query of its own); the page re-rendering it with that same,
        // older copy of the key does not put the old name back.
        panel.Render(p => p.Add(x => x.Key, second with { Label = second.Label }));
        Assert.Equal("OPENAI_SHORTS_KEY", panel.Find("input").GetAttribute("value"));
    }
}
