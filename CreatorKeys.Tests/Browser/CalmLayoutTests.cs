using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// Issue 24 §4, in the browser: the vault row's "⋯" menu works from the keyboard alone, a phone shows keys as
/// two-line cards, Reports keeps its full table behind "Show every key" on a phone and fits a 1280 px screen.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CalmLayoutTests(BrowserFixture browser)
{
    [Theory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task VaultRowMenu_WorksByKeyboard_AndEditOpensTheEditor(int width, int height)
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, width, height);
        var page = await context.NewPageAsync();
        await page.StepsAsync($"{nameof(VaultRowMenu_WorksByKeyboard_AndEditOpensTheEditor)}-{width}", async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var account = await DesignAccount.FillAsync(app);
            var label = account.OpenAiProd.Label;
            await page.GotoAsync("vault");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^PROD ") }).ClickAsync();
            var row = page.GetByRole(AriaRole.Group, new() { Name = $"Actions for {label}" });
            var more = row.GetByRole(AriaRole.Button, new() { Name = $"More for {label}" });
            var menu = page.GetByRole(AriaRole.Menu, new() { Name = label });

            // Copy stays on the row; one Tab further is "⋯". Nothing of the menu shows yet.
            await row.GetByRole(AriaRole.Button, new() { Name = $"Copy {label}" }).FocusAsync();
            await page.Keyboard.PressAsync("Tab");
            await Assertions.Expect(more).ToBeFocusedAsync();
            await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "false");
            await Assertions.Expect(menu).ToBeHiddenAsync();

            // Enter opens it on its first item; the arrows move (and wrap); Escape closes it and gives the focus back.
            await page.Keyboard.PressAsync("Enter");
            await Assertions.Expect(menu).ToBeVisibleAsync();
            await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "true");
            var edit = menu.GetByRole(AriaRole.Menuitem, new() { Name = $"Edit {label}" });
            var retire = menu.GetByRole(AriaRole.Menuitem, new() { Name = $"Stop using {label}" });
            var delete = menu.GetByRole(AriaRole.Menuitem, new() { Name = $"Delete {label}" });
            await Assertions.Expect(edit).ToBeFocusedAsync();
            await Assertions.Expect(retire).ToHaveTextAsync("Stop using");
            await page.Keyboard.PressAsync("ArrowDown");
            await Assertions.Expect(retire).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            await Assertions.Expect(delete).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowDown");
            await Assertions.Expect(edit).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("ArrowUp");
            await Assertions.Expect(delete).ToBeFocusedAsync();
            // The open menu sits inside the window and passes axe.
            var box = (await menu.BoundingBoxAsync())!;
            Assert.True(box.X >= 0 && box.X + box.Width <= width, $"The menu reaches outside the window: {box.X}+{box.Width}.");
            var violations = await page.SeriousAccessibilityViolationsAsync();
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(menu).ToBeHiddenAsync();
            await Assertions.Expect(more).ToBeFocusedAsync();
            await Assertions.Expect(more).ToHaveAttributeAsync("aria-expanded", "false");

            // Space opens it too; Enter on "Edit" opens the editor for that key.
            await page.Keyboard.PressAsync(" ");
            await Assertions.Expect(edit).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.WaitForAsync();
            await Assertions.Expect(dialog).ToContainTextAsync($"Edit “{label}”");
            await Assertions.Expect(menu).ToBeHiddenAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });

            // A click elsewhere closes an open menu.
            await more.ClickAsync();
            await Assertions.Expect(menu).ToBeVisibleAsync();
            await page.Locator("h1").ClickAsync();
            await Assertions.Expect(menu).ToBeHiddenAsync();
            await page.ScreenshotAsync($"calm-vault-menu-{width}");
        });
    }

    [Fact]
    public async Task VaultOnAPhone_ShowsEachKeyAsTwoLines()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, 390, 844);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(VaultOnAPhone_ShowsEachKeyAsTwoLines), async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var account = await DesignAccount.FillAsync(app);
            await page.GotoAsync("vault");
            await page.WaitForInteractiveAsync();
            await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^PROD ") }).ClickAsync();

            var card = page.Locator("tbody tr").Filter(new() { Has = page.Locator($"a[href='vault/keys/{account.OpenAiProd.Id}']") }).Locator(".ck-key-card");
            await Assertions.Expect(card.Locator(".ck-key-card-title")).ToBeVisibleAsync();
            Assert.Equal("OpenAI · PROD", await card.Locator(".ck-key-card-title").EvaluateAsync<string>(
                "a => { const c = a.cloneNode(true); c.querySelectorAll('.ck-visually-hidden').forEach(h => h.remove()); return c.textContent.replace(/\\s+/g, ' ').trim(); }"));
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = $"{account.OpenAiProd.Label}: OpenAI · PROD", Exact = true })).ToBeVisibleAsync();
            await Assertions.Expect(card.GetByTestId("key-card-details")).ToHaveTextAsync(
                $"ends {account.OpenAiProd.Hint[^4..]} · $100/mo · due in 50 days");
            // The label/value table is gone: no "Monthly cap" or "Service" label beside a value.
            await Assertions.Expect(page.Locator("td[data-label='Monthly cap']").First).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("td[data-label='Service']").First).ToBeHiddenAsync();
            // Two lines of text: the card is no taller than two lines and their gap.
            var lines = await card.EvaluateAsync<double>("c => (c.querySelector('.ck-key-card-title').getBoundingClientRect().height + c.querySelector('.ck-key-card-details').getBoundingClientRect().height)");
            Assert.True(lines < 60, $"The card's two lines take {lines} px.");
            // Reveal (the eye) and Copy stay in sight on the phone.
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Reveal {account.OpenAiProd.Label}" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Copy {account.OpenAiProd.Label}" })).ToBeVisibleAsync();
            var noHorizontalScroll = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth");
            Assert.True(noHorizontalScroll, "The vault scrolls sideways on a phone.");
            var violations = await page.SeriousAccessibilityViolationsAsync();
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    [Fact]
    public async Task Reports_PhoneShowsCardsAndTheTableOnAsk_AndAt1280TheTableFits()
    {
        using var app = AppHost.Start();
        await using var context = await browser.NewContextAsync(app.BaseAddress, 390, 844);
        var page = await context.NewPageAsync();
        await page.StepsAsync(nameof(Reports_PhoneShowsCardsAndTheTableOnAsk_AndAt1280TheTableFits), async () =>
        {
            await BrowserJourney.SignUpAsync(page);
            var account = await DesignAccount.FillAsync(app);
            await page.GotoAsync("reports");
            await page.WaitForInteractiveAsync();

            // A phone: one two-line card per key, the table hidden until asked for.
            var cards = page.GetByTestId("report-card");
            await Assertions.Expect(cards).ToHaveCountAsync(account.Keys.Count);
            await Assertions.Expect(cards.First).ToBeVisibleAsync();
            var table = page.GetByTestId("report-table");
            await Assertions.Expect(table).ToBeHiddenAsync();
            var showAll = page.GetByRole(AriaRole.Button, new() { Name = "Show every key" });
            await Assertions.Expect(showAll).ToHaveAttributeAsync("aria-expanded", "false");
            var prodCard = cards.Filter(new() { Has = page.Locator($"a[href='vault/keys/{account.OpenAiProd.Id}']") });
            await Assertions.Expect(prodCard.Locator(".ck-key-card-details")).ToHaveTextAsync($"ends {account.OpenAiProd.Hint[^4..]} · $100/mo · due in 50 days");
            var violations = (await page.SeriousAccessibilityViolationsAsync()).ToList();
            await page.ScreenshotAsync("calm-reports-390-cards");

            await showAll.ClickAsync();
            await Assertions.Expect(table).ToBeVisibleAsync();
            await Assertions.Expect(table.GetByRole(AriaRole.Link, new() { Name = account.OpenAiProd.Label })).ToBeVisibleAsync();
            await Assertions.Expect(cards.First).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show the short list" })).ToHaveAttributeAsync("aria-expanded", "true");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("calm-reports-390-table");

            // 1280 px: the table is there at once, with no cards and no button, and fits without scrolling sideways.
            await page.SetViewportSizeAsync(1280, 900);
            await page.ReloadAsync();
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(table).ToBeVisibleAsync();
            await Assertions.Expect(cards.First).ToBeHiddenAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Show every key" })).ToBeHiddenAsync();
            var (scrollWidth, clientWidth) = await TableWidthsAsync(page);
            Assert.True(scrollWidth <= clientWidth, $"The reports table scrolls sideways at 1280 px: {scrollWidth} > {clientWidth}.");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "The page scrolls sideways at 1280 px.");
            violations.AddRange(await page.SeriousAccessibilityViolationsAsync());
            await page.ScreenshotAsync("calm-reports-1280");
            Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        });
    }

    private static async Task<(int ScrollWidth, int ClientWidth)> TableWidthsAsync(IPage page)
    {
        var widths = await page.GetByTestId("report-table").Locator(".mud-table-container").EvaluateAsync<int[]>("c => [c.scrollWidth, c.clientWidth]");
        return (widths[0], widths[1]);
    }
}
