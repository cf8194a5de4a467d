using Bunit;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

/// <summary>The edit form refuses a key name that holds a stored key value, next to the field, and saves nothing.</summary>
public sealed class KeyNameGuardTests : ComponentTestContext
{
    [Fact]
    public async Task EditName_ContainingAStoredKeyValue_ShowsTheMessageNextToTheName_AndSavesNothing()
    {
        // Not shaped like any catalog key: only the vault's own fingerprint can tell it is one.
        const string stored = "zz9Plural-Z-Alpha-0123456789abcdWXYZ";
        await AddKeyAsync(stored, VaultEnvironment.Prod, "PROD — secret one");
        await AddKeyAsync(TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "Key 1");
        var dialogs = Render<MudDialogProvider>();
        var page = Render<VaultPage>(parameters => parameters.AddCascadingValue(new RequestOrigin("198.51.100.4", "bUnit")));

        page.WaitForElement("button[aria-label='Edit Key 1']").Click();
        dialogs.WaitForElement(".mud-dialog");
        var nameLabel = dialogs.FindAll("label").First(l => l.TextContent.Trim() == "Name");
        dialogs.Find($"#{nameLabel.GetAttribute("for")}").Input($"DEV key, backup copy {stored}");
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Save changes").Click();

        dialogs.WaitForAssertion(() => Assert.Contains(KeyInTextGuard.Message, dialogs.Find(".mud-dialog").TextContent, StringComparison.Ordinal));
        Assert.Contains(await Vault.ListKeysAsync(Session.AccountId), k => k.Label == "Key 1");
        Assert.DoesNotContain(await Vault.ListKeysAsync(Session.AccountId), k => k.Label.Contains(stored, StringComparison.Ordinal));
    }
}
