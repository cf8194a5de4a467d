using System.Text.Json;
using System.Text.Json.Serialization;

namespace CreatorKeys.Core.Providers;

/// <summary>
/// The providers CreatorKeys knows, shipped as versioned data (<c>Providers/catalog.json</c>,
/// embedded in Core). Update the file, bump <see cref="Version"/>, and the catalog tests
/// check every entry.
/// </summary>
public sealed class ProviderCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly Dictionary<string, ProviderInfo> _byId;

    private ProviderCatalog(int version, string updated, IReadOnlyList<ProviderInfo> providers)
    {
        Version = version;
        Updated = updated;
        Providers = providers;
        _byId = providers.ToDictionary(p => p.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog shipped with this build.</summary>
    public static ProviderCatalog Shipped { get; } = LoadEmbedded();

    public int Version { get; }

    public string Updated { get; }

    public IReadOnlyList<ProviderInfo> Providers { get; }

    public ProviderInfo? Find(string? id) => id is not null && _byId.TryGetValue(id, out var provider) ? provider : null;

    public static ProviderCatalog Parse(string json)
    {
        var file = JsonSerializer.Deserialize<CatalogFile>(json, JsonOptions)
            ?? throw new InvalidDataException("The provider catalog is empty.");
        return new ProviderCatalog(file.Version, file.Updated ?? "", file.Providers ?? []);
    }

    private static ProviderCatalog LoadEmbedded()
    {
        using var stream = typeof(ProviderCatalog).Assembly.GetManifestResourceStream("CreatorKeys.Core.Providers.catalog.json")
            ?? throw new InvalidOperationException("The provider catalog is missing from the build.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    private sealed record CatalogFile(int Version, string? Updated, List<ProviderInfo>? Providers);
}
