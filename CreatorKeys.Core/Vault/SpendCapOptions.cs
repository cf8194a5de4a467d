using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Vault;

/// <summary>Suggested monthly spend caps and the largest cap accepted. Section <c>CreatorKeys:SpendCaps</c>.</summary>
public sealed class SpendCapOptions
{
    public const string Section = "CreatorKeys:SpendCaps";

    /// <summary>The cap suggested for a new DEV key, in US dollars.</summary>
    [Range(0, 1_000_000)]
    public decimal DevDefault { get; set; } = 5;

    /// <summary>The cap suggested for a new STAGING key, in US dollars.</summary>
    [Range(0, 1_000_000)]
    public decimal StagingDefault { get; set; } = 20;

    /// <summary>The largest monthly cap (or budget) accepted, in US dollars; anything above is almost certainly a typo.</summary>
    [Range(1, 10_000_000)]
    public decimal Maximum { get; set; } = 100_000;

    /// <summary>The suggested cap for an environment; PROD has none: it comes from the creator's budget.</summary>
    public decimal? SuggestedFor(VaultEnvironment environment) => environment switch
    {
        VaultEnvironment.Dev => DevDefault,
        VaultEnvironment.Staging => StagingDefault,
        _ => null,
    };
}
