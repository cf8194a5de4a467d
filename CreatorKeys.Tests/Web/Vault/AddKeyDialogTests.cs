using Bunit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Pages.Vault;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CreatorKeys.Tests.Web.Vault;

public sealed class AddKeyDialogTests : ComponentTestContext
{
    [Fact]
    public async Task Save_EmptyNameAndOverLongValue_ShowsMessagesNextToFieldsAndStoresNothing()
    {
        var (dialogs, result) = await OpenAsync(VaultEnvironment.Prod);
        dialogs.Find("input[type='text']").Input("OpenAI");
        Label(dialogs).Change("");
        Value(dialogs).Change(new string('k', ApiKey.MaxValueBytes + 1));

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Contains("Give the key a name", ErrorTextOf(dialogs, "Name"), StringComparison.Ordinal));
        Assert.Contains("over 4 KB", ErrorTextOf(dialogs, "Key value"), StringComparison.Ordinal);
        Assert.False(result.IsCompleted);
        Assert.Empty(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task Save_NoEnvironmentChosen_AsksForOne()
    {
        var (dialogs, _) = await OpenAsync(null);
        dialogs.Find("input[type='text']").Input("OpenAI");
        Label(dialogs).Change("my key");
        Value(dialogs).Change(TestAccounts.NewKeyValue());

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Contains("Choose DEV, STAGING or PROD.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Empty(await Vault.ListKeysAsync(Session.AccountId));
    }

    [Fact]
    public async Task Typing_ServiceWithEnvironment_SuggestsConventionalName()
    {
        var (dialogs, _) = await OpenAsync(VaultEnvironment.Staging);

        dialogs.Find("input[type='text']").Input("ElevenLabs");

        dialogs.WaitForAssertion(() =>
            Assert.Equal($"STAGING — ElevenLabs — Created {Time.GetLocalNow():yyyy-MM-dd}", Label(dialogs).GetAttribute("value")));
    }

    [Fact]
    public async Task Save_ValidInput_StoresEncryptedAndClosesWithTheKey()
    {
        var value = TestAccounts.NewKeyValue();
        var (dialogs, result) = await OpenAsync(VaultEnvironment.Dev);
        dialogs.Find("input[type='text']").Input("OpenAI");
        Value(dialogs).Change($"'{value}'");

        Save(dialogs);

        var closed = await result.WaitAsync(TimeSpan.FromSeconds(10));
        var key = Assert.IsType<KeySummary>(closed!.Data);
        Assert.Equal(VaultEnvironment.Dev, key.Environment);
        Assert.Equal(value, await Vault.RevealAsync(Session, key.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Save_ValueAlreadyStored_ExplainsWhyAndStoresNothingNew()
    {
        var value = TestAccounts.NewKeyValue();
        await AddKeyAsync(value, VaultEnvironment.Prod, "PROD — OpenAI — main");
        var (dialogs, result) = await OpenAsync(VaultEnvironment.Dev);
        dialogs.Find("input[type='text']").Input("OpenAI");
        Value(dialogs).Change(value);

        Save(dialogs);

        dialogs.WaitForAssertion(() => Assert.Contains("already in your vault as “PROD — OpenAI — main”", ErrorTextOf(dialogs, "Key value"), StringComparison.Ordinal));
        Assert.DoesNotContain(value, ErrorTextOf(dialogs, "Key value"), StringComparison.Ordinal);
        Assert.Equal("password", Value(dialogs).GetAttribute("type"));
        Assert.False(result.IsCompleted);
        Assert.Single(await Vault.ListKeysAsync(Session.AccountId));
    }

    private async Task<(IRenderedComponent<MudDialogProvider> Dialogs, Task<DialogResult?> Result)> OpenAsync(VaultEnvironment? environment)
    {
        var dialogs = Render<MudDialogProvider>();
        var service = Services.GetRequiredService<IDialogService>();
        IDialogReference? reference = null;
        await dialogs.InvokeAsync(async () => reference = await service.ShowAsync<AddKeyDialog>("Add a key", new DialogParameters<AddKeyDialog>
        {
            { d => d.Session, Session },
            { d => d.Origin, TestAccounts.Origin },
            { d => d.InitialEnvironment, environment },
        }));
        dialogs.WaitForElement(".mud-dialog");
        return (dialogs, reference!.Result);
    }

    private static AngleSharp.Dom.IElement Label(IRenderedComponent<MudDialogProvider> dialogs) => InputLabelled(dialogs, "Name");

    private static AngleSharp.Dom.IElement Value(IRenderedComponent<MudDialogProvider> dialogs) => InputLabelled(dialogs, "Key value");

    private static void Save(IRenderedComponent<MudDialogProvider> dialogs) =>
        dialogs.FindAll("button").Single(b => b.TextContent.Contains("Save key", StringComparison.Ordinal)).Click();

    /// <summary>The input whose MudBlazor label has this text.</summary>
    private static AngleSharp.Dom.IElement InputLabelled(IRenderedComponent<MudDialogProvider> dialogs, string label)
    {
        var labelElement = dialogs.FindAll("label").Single(l => l.TextContent.Trim() == label);
        return dialogs.Find($"#{labelElement.GetAttribute("for")}");
    }

    /// <summary>The error text MudBlazor shows under the field with this label.</summary>
    private static string ErrorTextOf(IRenderedComponent<MudDialogProvider> dialogs, string label)
    {
        var input = InputLabelled(dialogs, label);
        var control = input.Closest(".mud-input-control")!;
        return control.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent ?? control.QuerySelector(".mud-input-error")?.TextContent ?? "";
    }
}
