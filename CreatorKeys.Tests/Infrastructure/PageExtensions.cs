using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CreatorKeys.Tests.Infrastructure;

public static class PageExtensions
{
    /// <summary>Waits until the page's live connection is up, so clicks reach the server.</summary>
    public static async Task WaitForInteractiveAsync(this IPage page) =>
        await page.Locator("[data-interactive='true']").WaitForAsync();

    /// <summary>Roles of the controls a person can press, tick, pick from or type into.</summary>
    private static readonly AriaRole[] ControlRoles =
    [
        AriaRole.Button, AriaRole.Checkbox, AriaRole.Combobox, AriaRole.Listbox, AriaRole.Menuitem, AriaRole.Option, AriaRole.Radio,
        AriaRole.Searchbox, AriaRole.Slider, AriaRole.Spinbutton, AriaRole.Switch, AriaRole.Tab, AriaRole.Textbox,
    ];

    /// <summary>
    /// The controls on the page that are offered as usable (not disabled) although they only work over the live
    /// connection: everything by role except links and the buttons of forms that post to the server. Asked while
    /// the live connection is held back, the answer must be empty; each entry is "role 'name'".
    /// </summary>
    public static async Task<IReadOnlyList<string>> ControlsOfferedBeforeTheyWorkAsync(this IPage page)
    {
        var offered = new List<string>();
        foreach (var role in ControlRoles)
        {
            foreach (var control in await page.GetByRole(role).AllAsync())
            {
                if (await control.IsDisabledAsync() || await control.EvaluateAsync<bool>("e => !!e.closest('form[method=post][action]')"))
                {
                    continue;
                }

                var name = await control.EvaluateAsync<string>("e => (e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent || '').trim().slice(0, 60)");
                offered.Add($"{role.ToString().ToLowerInvariant()} '{name}'");
            }
        }

        return offered;
    }

    /// <summary>Runs axe-core and returns the serious and critical violations, described for a failure message.</summary>
    public static async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync(this IPage page)
    {
        // A fading snackbar is half transparent for a moment; check everything at its settled look.
        await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
        await page.WaitForAnimationsAsync();
        var results = await page.RunAxe();
        return results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Target?.ToString() + " " + n.Html + " — " + string.Join("; ", n.Any.Select(a => a.Message))))}")
            .ToList();
    }

    /// <summary>Waits until every finite CSS animation and transition on the page has finished (a fading snackbar, an opening dialog).</summary>
    public static async Task WaitForAnimationsAsync(this IPage page) =>
        await page.EvaluateAsync(
            "() => Promise.all(document.getAnimations()" +
            ".filter(a => a.effect && a.effect.getComputedTiming().iterations !== Infinity)" +
            ".map(a => a.finished.catch(() => null)))");

    /// <summary>
    /// Runs a browser test's steps; when one fails, saves a screenshot and adds the page's address
    /// and visible text to the failure, so a red CI run says what the browser was showing.
    /// </summary>
    public static async Task<T> StepsAsync<T>(this IPage page, string name, Func<Task<T>> steps)
    {
        var result = default(T);
        await page.StepsAsync(name, async () => { result = await steps(); });
        return result!;
    }

    /// <inheritdoc cref="StepsAsync{T}(IPage, string, Func{Task{T}})"/>
    public static async Task StepsAsync(this IPage page, string name, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            await page.ScreenshotAsync($"failed-{name}");
            var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
            throw new InvalidOperationException($"Browser step failed on {page.Url}. The page showed:{Environment.NewLine}{text[..Math.Min(text.Length, 3000)]}", ex);
        }
    }

    /// <summary>Saves a screenshot under TestResults/screenshots for a person to look at.</summary>
    public static async Task ScreenshotAsync(this IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }
}
