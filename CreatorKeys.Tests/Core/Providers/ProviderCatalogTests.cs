using System.Text.RegularExpressions;
using CreatorKeys.Core.Providers;

namespace CreatorKeys.Tests.Core.Providers;

public sealed partial class ProviderCatalogTests
{
    private static readonly ProviderCatalog Catalog = ProviderCatalog.Shipped;

    public static TheoryData<string> ProviderIds => [.. ProviderCatalog.Shipped.Providers.Select(p => p.Id)];

    [Fact]
    public void Catalog_IsVersionedAndCoversWhatCreatorsUse()
    {
        Assert.True(Catalog.Version >= 1);
        Assert.True(Catalog.Providers.Count >= 25, $"Only {Catalog.Providers.Count} providers.");
        foreach (var category in ProviderCategories.All.Where(c => c != ProviderCategory.Other))
        {
            Assert.Contains(Catalog.Providers, p => p.Category == category);
        }

        foreach (var id in new[] { "openai", "anthropic", "google-gemini", "mistral", "groq", "openrouter", "xai", "cohere", "perplexity", "deepseek",
                     "elevenlabs", "runway", "heygen", "synthesia", "d-id", "luma", "stability", "replicate", "fal", "leonardo", "ideogram",
                     "assemblyai", "deepgram", "make", "zapier", "n8n" })
        {
            Assert.NotNull(Catalog.Find(id));
        }
    }

    [Fact]
    public void Ids_AreUniqueLowercaseSlugs_AndNamesAreUnique()
    {
        Assert.Equal(Catalog.Providers.Count, Catalog.Providers.Select(p => p.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(Catalog.Providers.Count, Catalog.Providers.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(Catalog.Providers, p => Assert.Matches(Slug(), p.Id));
        Assert.All(Catalog.Providers, p => Assert.False(p.Id.StartsWith("custom-", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Entry_IsComplete(string id)
    {
        var provider = Catalog.Find(id)!;

        Assert.False(string.IsNullOrWhiteSpace(provider.Name));
        Assert.False(string.IsNullOrWhiteSpace(provider.CapTip));
        Assert.True(provider.CapTip.Length <= 200, "A tip is one plain sentence.");
        Assert.NotEmpty(provider.VariableNames);
        Assert.All(provider.VariableNames, v => Assert.Matches(VariableWord(), v));
        Assert.False(provider.IsCustom);
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Addresses_AreAbsoluteHttps(string id)
    {
        var provider = Catalog.Find(id)!;

        foreach (var url in new[] { provider.KeysPageUrl, provider.BillingPageUrl })
        {
            Assert.NotNull(url);
            Assert.True(Uri.TryCreate(url, UriKind.Absolute, out var uri), $"{id}: '{url}' is not an address.");
            Assert.Equal(Uri.UriSchemeHttps, uri!.Scheme);
        }
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void KeyPattern_CompilesAndMatchesItsOwnSample(string id)
    {
        var provider = Catalog.Find(id)!;
        if (provider.KeyPattern is null)
        {
            Assert.Null(provider.SampleKey);
            Assert.Null(provider.KeyPrefix);
            return;
        }

        var regex = new Regex(provider.KeyPattern);
        Assert.StartsWith("^", provider.KeyPattern, StringComparison.Ordinal);
        Assert.EndsWith("$", provider.KeyPattern, StringComparison.Ordinal);
        Assert.NotNull(provider.SampleKey);
        Assert.Matches(regex, provider.SampleKey);
        Assert.True(provider.MatchesShape(provider.SampleKey!));
        Assert.False(provider.MatchesShape(provider.SampleKey! + " extra"));
        if (provider.KeyPrefix is not null)
        {
            Assert.StartsWith(provider.KeyPrefix, provider.SampleKey, StringComparison.Ordinal);
            Assert.False(regex.IsMatch(provider.SampleKey![provider.KeyPrefix.Length..]), $"{id}: the pattern should require the prefix.");
        }
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Sample_IsNeverMistakenForAnotherProvider(string id)
    {
        var provider = Catalog.Find(id)!;
        if (provider.SampleKey is null)
        {
            return;
        }

        var detected = KeyShapes.Detect(provider.SampleKey, Catalog.Providers);
        var alsoFits = Catalog.Providers.Where(o => o.Id != id && o.MatchesShape(provider.SampleKey) == true).ToList();

        Assert.True(detected is null || detected.Id == id, $"{id}'s sample is detected as {detected?.Id}.");
        if (alsoFits.Count == 0 && provider.KeyPrefix is not null)
        {
            // A prefixed shape no one else shares must be recognised.
            Assert.Equal(id, detected?.Id);
        }
    }

    [Theory]
    [MemberData(nameof(ProviderIds))]
    public void Logo_IsASmallFileTheAppShips_NotAnAddress(string id)
    {
        var provider = Catalog.Find(id)!;

        Assert.NotNull(provider.Logo);
        Assert.Matches(LogoPath(), provider.Logo);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CreatorKeys.sln")))
        {
            root = root.Parent;
        }

        var file = Path.Combine(root!.FullName, "CreatorKeys.Web", "wwwroot", provider.Logo!);
        Assert.True(File.Exists(file), $"{id}: {provider.Logo} is not in CreatorKeys.Web/wwwroot.");
        var svg = File.ReadAllText(file);
        Assert.True(svg.Length < 2_000, $"{id}: a logo is a small mark.");
        // Drawn here, self-contained: nothing it draws is fetched from elsewhere (the only address is the SVG namespace).
        Assert.DoesNotContain("href", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Single(Regex.Matches(svg, "https?://"));
    }

    [Fact]
    public void Parse_UnknownCategory_Fails()
    {
        const string Json = """{ "version": 1, "providers": [ { "id": "x", "name": "X", "category": "Nope" } ] }""";

        Assert.ThrowsAny<Exception>(() => ProviderCatalog.Parse(Json));
    }

    [GeneratedRegex(@"^img/providers/[a-z0-9-]+\.svg$")]
    private static partial Regex LogoPath();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Slug();

    [GeneratedRegex("^[A-Z0-9]+(_[A-Z0-9]+)*$")]
    private static partial Regex VariableWord();
}
