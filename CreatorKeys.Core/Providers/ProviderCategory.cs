namespace CreatorKeys.Core.Providers;

/// <summary>What kind of service a provider is; the audit step groups providers by it.</summary>
public enum ProviderCategory
{
    LanguageModels,
    Voice,
    VideoAndAvatars,
    Images,
    Transcription,
    Automation,
    Other,
}

public static class ProviderCategories
{
    public static IReadOnlyList<ProviderCategory> All { get; } = Enum.GetValues<ProviderCategory>();

    public static string DisplayName(this ProviderCategory category) => category switch
    {
        ProviderCategory.LanguageModels => "Language models and chat",
        ProviderCategory.Voice => "Voice",
        ProviderCategory.VideoAndAvatars => "Video and avatars",
        ProviderCategory.Images => "Images",
        ProviderCategory.Transcription => "Transcription",
        ProviderCategory.Automation => "Automation",
        _ => "Your own services",
    };
}
