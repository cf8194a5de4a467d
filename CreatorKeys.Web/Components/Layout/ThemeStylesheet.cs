using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace CreatorKeys.Web.Components.Layout;

/// <summary>
/// The app's colours as one stylesheet, <c>/theme.css</c>, made once when the app starts:
/// MudBlazor's own <see cref="MudThemeProvider"/> is rendered (light, then dark) with
/// <see cref="AppTheme.Theme"/>, and its CSS is kept. The light palette sits on <c>:root</c>;
/// the dark palette's differences sit on <c>:root.ck-dark</c>, a class the browser sets from
/// the saved choice before the page paints (<c>js/theme.js</c>).
/// </summary>
/// <remarks>
/// The provider in the layout wrote the same 12 KB of CSS into every page, built it again on every
/// render and kept it twice in every open connection (its last two render trees); served as a file
/// the browser keeps, none of that happens (docs/decisions/007).
/// </remarks>
public sealed partial class ThemeStylesheet(IServiceProvider services) : IHostedService
{
    /// <summary>Where the stylesheet is served.</summary>
    public const string Path = "/theme.css";

    /// <summary>The class on <c>&lt;html&gt;</c> that turns the dark palette on.</summary>
    public const string DarkClass = "ck-dark";

    // One reference, written once: readers see either nothing or the whole built stylesheet.
    private volatile Built? _built;

    /// <summary>The whole stylesheet.</summary>
    public string Css => Current.Css;

    /// <summary>A hash of <see cref="Css"/>: a new theme gets a new address, so browsers may keep the file for good.</summary>
    public string Version => Current.Version;

    /// <summary>The address pages link to (relative, under the page's base).</summary>
    public string Href => $"{Path.TrimStart('/')}?v={Version}";

    private Built Current =>
        _built ?? throw new InvalidOperationException("The theme stylesheet is made when the app starts; it was asked for before that.");

    /// <summary>
    /// Made as the app starts, before it takes requests: WebApplication starts the web server's own
    /// hosted service after the app's, one at a time (so this relies on
    /// <c>HostOptions.ServicesStartConcurrently</c> staying off, as it is by default).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A scope of its own: the provider asks for services (JS runtime) that live per connection.
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<ILoggerFactory>());
        var light = await RenderAsync(renderer, darkMode: false);
        var dark = await RenderAsync(renderer, darkMode: true);
        var css = Combine(light, dark);
        _built = new Built(css, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(css)))[..12]);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serves <see cref="Css"/>; the versioned address may be kept for a year.</summary>
    internal IResult Serve(HttpContext context)
    {
        context.Response.Headers.CacheControl = context.Request.Query["v"] == Version
            ? "public, max-age=31536000, immutable"
            : "no-cache";
        return Results.Text(Css, "text/css", Encoding.UTF8);
    }

    /// <summary>
    /// Every style block of the light render as it is, then one <c>:root.ck-dark</c> rule with the
    /// dark render's variables that differ from the light ones.
    /// </summary>
    internal static string Combine(string lightHtml, string darkHtml)
    {
        var lightBlocks = StyleBlocks(lightHtml);
        if (lightBlocks.Count == 0)
        {
            throw new InvalidOperationException("MudThemeProvider rendered no <style>: the theme stylesheet cannot be made.");
        }

        var lightVariables = Variables(string.Concat(lightBlocks));
        var css = new StringBuilder();
        foreach (var block in lightBlocks)
        {
            css.Append(block.Trim()).Append('\n');
        }

        css.Append(":root.").Append(DarkClass).Append("{\n");
        foreach (var (name, value) in Variables(string.Concat(StyleBlocks(darkHtml))))
        {
            if (!lightVariables.TryGetValue(name, out var lightValue) || lightValue != value)
            {
                css.Append(name).Append(": ").Append(value).Append(";\n");
            }
        }

        css.Append("}\n");
        return css.ToString();
    }

    private static async Task<string> RenderAsync(HtmlRenderer renderer, bool darkMode) =>
        await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = AppTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = darkMode,
            }));
            return output.ToHtmlString();
        });

    private static List<string> StyleBlocks(string html) =>
        [.. StyleElement().Matches(html).Select(m => m.Groups["css"].Value)];

    private static Dictionary<string, string> Variables(string css)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Variable().Matches(css))
        {
            variables[match.Groups["name"].Value] = match.Groups["value"].Value.Trim();
        }

        return variables;
    }

    [GeneratedRegex("<style[^>]*>(?<css>.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleElement();

    [GeneratedRegex(@"(?<name>--[\w-]+)\s*:\s*(?<value>[^;{}]+);")]
    private static partial Regex Variable();

    private sealed record Built(string Css, string Version);
}
