using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>Steps a creator takes in the browser, shared by the browser tests.</summary>
public static class BrowserJourney
{
    /// <summary>Signs up on a new install and confirms the emergency kit; ends on the vault page.</summary>
    public static async Task SignUpAsync(IPage page, string email = TestAccounts.Email, string password = TestAccounts.Password)
    {
        await SignUpAndSaveKitAsync(page, email, password);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Vault", Exact = true }).WaitForAsync();
    }

    /// <summary>Signs up and confirms the emergency kit, up to pressing "Continue to my vault" (where the app goes next is the caller's to check).</summary>
    public static async Task SignUpAndSaveKitAsync(IPage page, string email = TestAccounts.Email, string password = TestAccounts.Password)
    {
        await page.GotoAsync("account/sign-up");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Type the password again").FillAsync(password);
        await page.GetByLabel("I understand").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and vault" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Save your emergency kit" }).WaitForAsync();
        await page.WaitForInteractiveAsync();
        await page.GetByLabel("I have saved my emergency kit somewhere safe").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to my vault" }).ClickAsync();
    }

    public static async Task SignInAsync(IPage page, string email = TestAccounts.Email, string password = TestAccounts.Password)
    {
        await page.GotoAsync("account/sign-in");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForInteractiveAsync();
    }

    /// <summary>Answers the "Confirm it's you" dialog the way a person does: the focus is already in the field, type, press Enter.</summary>
    public static async Task ConfirmItsYouAsync(IPage page, string password = TestAccounts.Password)
    {
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Confirm it's you" });
        await dialog.WaitForAsync();
        await Assertions.Expect(dialog.GetByLabel("Your password")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached, Timeout = 30_000 });
    }

    /// <summary>Adds a key through the Add-a-key dialog on the vault page.</summary>
    public static async Task AddKeyAsync(IPage page, string provider, string environment, string value)
    {
        await page.WaitForInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add a key" }).First.ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        var service = dialog.GetByRole(AriaRole.Combobox, new() { Name = "Service" });
        await service.FillAsync(provider);
        await service.PressAsync("Tab");
        await dialog.GetByRole(AriaRole.Radio, new() { Name = environment }).CheckAsync();
        await dialog.GetByLabel("Key value").FillAsync(value);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }
}
