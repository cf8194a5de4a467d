using System.Text.RegularExpressions;

namespace CreatorKeys.Core.Providers;

/// <summary>
/// A service whose API keys a creator keeps: from the shipped catalog, or one the creator added.
/// </summary>
public sealed class ProviderInfo
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ProviderCategory Category { get; init; }

    /// <summary>
    /// The provider's small mark, a file the app ships under wwwroot (e.g. <c>img/providers/openai.svg</c>), never an
    /// address on the internet; null for a service the creator added (the app shows a plain key mark).
    /// </summary>
    public string? Logo { get; init; }

    /// <summary>Where the creator creates and deletes keys (https), if known.</summary>
    public string? KeysPageUrl { get; init; }

    /// <summary>A short instruction for finding the keys page when the address alone is not enough.</summary>
    public string? KeysPageNote { get; init; }

    /// <summary>Where the creator sets a spend limit or sees billing (https), if known.</summary>
    public string? BillingPageUrl { get; init; }

    /// <summary>The fixed start of every key, e.g. <c>sk-ant-</c>; null when keys have none.</summary>
    public string? KeyPrefix { get; init; }

    /// <summary>A regular expression every key of this provider matches; null when keys have no recognisable form.</summary>
    public string? KeyPattern { get; init; }

    /// <summary>A made-up key in the provider's documented shape; the catalog tests check the pattern against it.</summary>
    public string? SampleKey { get; init; }

    public bool SupportsMultipleKeys { get; init; }

    public bool SupportsSpendLimits { get; init; }

    /// <summary>One plain sentence on where to set a spending cap at this provider.</summary>
    public string CapTip { get; init; } = "";

    /// <summary>
    /// Words that name this provider inside an environment variable, e.g. <c>OPENAI</c> in
    /// <c>OPENAI_API_KEY_PROD</c>; matched as whole <c>_</c>-separated parts.
    /// </summary>
    public IReadOnlyList<string> VariableNames { get; init; } = [];

    /// <summary>
    /// The environment variable name programs usually read this provider's key under (<c>OPENAI_API_KEY</c>): the
    /// default export name of its keys. Null for a provider the creator added (<see cref="Vault.ExportNames"/> makes one).
    /// </summary>
    public string? ExportName { get; init; }

    /// <summary>True for a provider the creator added themselves.</summary>
    public bool IsCustom { get; init; }

    private Regex? _regex;

    /// <summary>The compiled <see cref="KeyPattern"/>, or null.</summary>
    public Regex? KeyRegex => KeyPattern is null ? null : _regex ??= new Regex(KeyPattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    /// <summary>Whether a value has this provider's key shape; null when the provider has no known shape.</summary>
    public bool? MatchesShape(string value) => KeyRegex?.IsMatch(value);
}
