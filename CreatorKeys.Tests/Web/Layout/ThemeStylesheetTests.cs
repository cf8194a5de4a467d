using System.Net;
using System.Text.RegularExpressions;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Components.Layout;

namespace CreatorKeys.Tests.Web.Layout;

/// <summary>
/// The theme is one stylesheet made at start from MudBlazor's own theme provider: the light
/// palette on <c>:root</c>, the dark one's differences on <c>:root.ck-dark</c>; every page links
/// it at an address that changes with its content, so browsers may keep it.
/// </summary>
public sealed partial class ThemeStylesheetTests
{
    [Fact]
    public async Task EveryPage_LinksTheThemeFile_WhichHoldsBothPalettes_AndMayBeKept()
    {
        using var app = AppHost.Start();
        using var anonymous = app.NewHttpClient();

        // A new install sends the first visitor to make the owner's account: that page is a static one.
        using var first = await anonymous.GetAsync("account/sign-in");
        var location = first.Headers.Location?.ToString() ?? "account/sign-in";
        var page = await anonymous.GetStringAsync(location.TrimStart('/'));
        var href = ThemeLink().Match(page);
        Assert.True(href.Success, $"{location} does not link theme.css");
        Assert.DoesNotContain("<style", page, StringComparison.Ordinal); // the palette is no longer written into each page

        using var response = await anonymous.GetAsync(WebUtility.HtmlDecode(href.Groups["href"].Value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
        var css = await response.Content.ReadAsStringAsync();

        // AppTheme's primary colours: #3F37C9 in light, #A9A4FF in dark (MudBlazor writes them as rgba).
        var dark = css[css.IndexOf(":root.ck-dark{", StringComparison.Ordinal)..];
        Assert.Contains("--mud-palette-primary: rgba(63,55,201,1);", css[..css.IndexOf(":root.ck-dark{", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("--mud-palette-primary: rgba(169,164,255,1);", dark, StringComparison.Ordinal);
        // Only what differs goes under the dark class: the typography is the same in both.
        Assert.DoesNotContain("--mud-typography", dark, StringComparison.Ordinal);

        // Another version than the current one is served, but not to be kept.
        using var stale = await anonymous.GetAsync("theme.css?v=old");
        Assert.Equal("no-cache", stale.Headers.CacheControl?.ToString());
    }

    [Fact]
    public void Combine_KeepsLightBlocks_AndPutsOnlyTheDarkDifferencesUnderTheDarkClass()
    {
        const string light = "<style>::-webkit-scrollbar {width: 8px;}</style><style class='mud-theme-provider'>:root{\n--a: 1;\n--b: red;\n}</style>";
        const string dark = "<style>::-webkit-scrollbar {width: 8px;}</style><style class='mud-theme-provider'>:root{\n--a: 1;\n--b: blue;\n--c: 2;\n}</style>";

        var css = ThemeStylesheet.Combine(light, dark);

        Assert.Equal("::-webkit-scrollbar {width: 8px;}\n:root{\n--a: 1;\n--b: red;\n}\n:root.ck-dark{\n--b: blue;\n--c: 2;\n}\n", css);
        Assert.Throws<InvalidOperationException>(() => ThemeStylesheet.Combine("<div></div>", dark));
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(?<href>theme\\.css\\?v=[0-9a-f]{12})\"")]
    private static partial Regex ThemeLink();
}
