using Microsoft.Playwright;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium for all browser tests, driven by Playwright. The browser
/// comes from the system (<c>apt-get install chromium</c>); Playwright never downloads one.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public IPlaywright Playwright { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (var candidate in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Chromium was not found. Install it with `apt-get install chromium` (the README's test command does this), or set CHROMIUM_PATH.");
    }

    public async Task InitializeAsync()
    {
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A fresh, isolated browser profile (own cookies and storage) at the given viewport.</summary>
    public async Task<IBrowserContext> NewContextAsync(Uri baseAddress, int width = 1280, int height = 900, string? timeZoneId = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = timeZoneId,
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"], new BrowserContextGrantPermissionsOptions { Origin = baseAddress.GetLeftPart(UriPartial.Authority) });
        // A ceiling, not a wait: Playwright moves on the moment the page is ready. CI machines have
        // two cores shared with the PBKDF2-heavy tests running beside these, so allow for slow moments.
        context.SetDefaultTimeout(30_000);
        return context;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
