namespace CreatorKeys.Core.Providers;

/// <summary>A service the creator added because it is not in the catalog.</summary>
public sealed class CustomProvider
{
    public const int MaxNameLength = 80;
    public const int MaxUrlLength = 500;

    /// <summary>Always starts with <c>custom-</c>, so it never collides with a catalog id.</summary>
    public string Id { get; set; } = "";

    public string AccountId { get; set; } = "";

    public string Name { get; set; } = "";

    public string? KeysPageUrl { get; set; }

    public string? BillingPageUrl { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public ProviderInfo ToInfo() => new()
    {
        Id = Id,
        Name = Name,
        Category = ProviderCategory.Other,
        KeysPageUrl = KeysPageUrl,
        BillingPageUrl = BillingPageUrl,
        SupportsMultipleKeys = true,
        CapTip = "Look in this service's billing or usage settings for a monthly limit, and set it there.",
        IsCustom = true,
    };
}
