using Microsoft.Playwright;

namespace CreatorKeys.Tests.Browser;

/// <summary>
/// The journey's hands: every click (a tick is a click too) and every typed field goes through here,
/// so the test knows how much work a path costs a person and can fail when it grows.
/// </summary>
public sealed class ClickCounter
{
    public int Clicks { get; private set; }

    public int TypedFields { get; private set; }

    public async Task ClickAsync(ILocator target)
    {
        await target.ClickAsync();
        Clicks++;
    }

    /// <summary>Ticks a checkbox: one click for a person.</summary>
    public async Task CheckAsync(ILocator target)
    {
        await target.CheckAsync();
        Clicks++;
    }

    /// <summary>Picks an option from a MudBlazor select: one click to open it, one on the option.</summary>
    public async Task ChooseAsync(IPage page, ILocator select, string option)
    {
        await ClickAsync(select);
        await ClickAsync(page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }));
    }

    /// <summary>Clicks and returns the file the browser downloads.</summary>
    public async Task<IDownload> DownloadAsync(IPage page, ILocator target)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => target.ClickAsync());
        Clicks++;
        return download;
    }

    public async Task TypeAsync(ILocator field, string text)
    {
        await field.FillAsync(text);
        TypedFields++;
    }

    /// <summary>Where the count stands now, to measure one part of the journey.</summary>
    public (int Clicks, int TypedFields) Mark() => (Clicks, TypedFields);
}
