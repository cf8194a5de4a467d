namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// The last figures a provider reported about one key's use, with the moment they were read ("as of"): numbers only,
/// never a value. One row per key, replaced by each successful reading, deleted with the key. Kept so the dashboard,
/// the reports and the digest show the last known figure without the vault (no reading happens while it is locked).
/// </summary>
public sealed class KeySpend
{
    public Guid KeyId { get; set; }

    public string AccountId { get; set; } = "";

    public DateTimeOffset ReadAt { get; set; }

    public SpendUnit Unit { get; set; }

    /// <summary>Used in the current month (OpenRouter: the UTC month; ElevenLabs: the billing month).</summary>
    public decimal UsedThisMonth { get; set; }

    /// <summary>The limit the provider itself enforces on the key; null when it reports none.</summary>
    public decimal? ProviderLimit { get; set; }

    /// <summary>How much of <see cref="ProviderLimit"/> is used over <see cref="LimitPeriod"/>.</summary>
    public decimal? UsedAgainstLimit { get; set; }

    public SpendPeriod LimitPeriod { get; set; }

    /// <summary>When the provider resets the count (ElevenLabs says; OpenRouter resets at the period's UTC start).</summary>
    public DateTimeOffset? ResetsAt { get; set; }

    /// <summary>
    /// The month (<c>yyyyMM</c>, UTC) of the figure for which the near-cap email was sent; null when none was sent, or
    /// the figure has dropped below 80% since. Set by a conditional update, so two instances send it once
    /// (<see cref="Reminders.NearCapNoticeService"/>).
    /// </summary>
    public int? NearCapNoticeMonth { get; set; }
}
