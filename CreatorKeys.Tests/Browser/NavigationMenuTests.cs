using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The main menu (a drawer written as MudBlazor's markup, shown by MudBlazor's CSS) in a real browser:
/// beside the page on a wide screen, over it on a phone (Escape closes it there), and never reachable by
/// keyboard while closed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NavigationMenuTests(BrowserFixture browser)
{
    [Fact]
    public async Task Menu_SitsBesideThePageOnADesktop_AndOpensOverItOnAPhone()
    {
        using var app = AppHost.Start();
        await using var desktop = await browser.NewContextAsync(app.BaseAddress, 1280, 900);
        var page = await desktop.NewPageAsync();
        await BrowserJourney.SignUpAsync(page);
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        var settings = menu.GetByRole(AriaRole.Link, new() { Name = "Settings" });

        await Assertions.Expect(settings).ToBeInViewportAsync();
        Assert.True(await TabFromSignOutLandsInMenuAsync(page));
        var button = page.GetByRole(AriaRole.Button, new() { Name = "Main menu" });
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        await button.ClickAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(settings).Not.ToBeInViewportAsync();
        // Closed means out of the keyboard's reach too: Tab from the app bar skips the links slid off screen.
        Assert.False(await TabFromSignOutLandsInMenuAsync(page));
        await button.ClickAsync();
        await Assertions.Expect(settings).ToBeInViewportAsync();

        // A phone: the same account in a narrow window starts with the menu hidden.
        await using var phone = await browser.NewContextAsync(app.BaseAddress, 390, 844);
        page = await phone.NewPageAsync();
        await BrowserJourney.SignInAsync(page);
        menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        settings = menu.GetByRole(AriaRole.Link, new() { Name = "Settings" });
        button = page.GetByRole(AriaRole.Button, new() { Name = "Main menu" });
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(settings).Not.ToBeVisibleAsync();

        await button.ClickAsync();
        await Assertions.Expect(settings).ToBeInViewportAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "true");
        Assert.Empty(await page.SeriousAccessibilityViolationsAsync());

        // Escape from inside the open menu closes it and gives the focus back to the menu button.
        await settings.FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(settings).Not.ToBeInViewportAsync();
        await Assertions.Expect(button).ToBeFocusedAsync();

        await button.ClickAsync();
        await Assertions.Expect(settings).ToBeInViewportAsync();
        await settings.ClickAsync();

        // Following a link closes the menu over the new page.
        await page.GetByRole(AriaRole.Heading, new() { Name = "Settings", Exact = true }).WaitForAsync();
        await Assertions.Expect(settings).Not.ToBeVisibleAsync();
        await Assertions.Expect(button).ToHaveAttributeAsync("aria-expanded", "false");
    }

    private static async Task<bool> TabFromSignOutLandsInMenuAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        return await page.EvaluateAsync<bool>("document.activeElement.closest('#ck-navigation') !== null");
    }
}
