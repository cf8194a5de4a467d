using System.Globalization;
using CreatorKeys.Core.Text;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>What a key's spend is compared with.</summary>
public enum SpendBasis
{
    /// <summary>Nothing to compare with: no cap recorded and no limit reported.</summary>
    NoCap,

    /// <summary>The monthly cap the creator recorded on the key (dollars).</summary>
    RecordedCap,

    /// <summary>The limit the provider itself reports for the key (OpenRouter's credit limit, ElevenLabs' characters).</summary>
    ProviderLimit,
}

/// <summary>
/// A key's last known spend set against what it is compared with: the provider's own limit when it reports one,
/// otherwise the cap recorded on the key. Numbers and words only, never a value. Built from the kept figures, so it
/// needs no unlocked vault.
/// </summary>
public sealed record SpendStanding(
    Guid KeyId,
    string Label,
    string ProviderName,
    VaultEnvironment Environment,
    SpendUnit Unit,
    decimal UsedThisMonth,
    SpendBasis Basis,
    decimal Used,
    decimal? Limit,
    SpendPeriod Period,
    DateTimeOffset ReadAt,
    bool ProjectWide = false)
{
    /// <summary>From this share of its cap on, a key is flagged (dashboard, digest).</summary>
    public const double FlagShare = 0.8;

    /// <summary>How much of the cap or limit is used (1 = all of it; more when over); null when there is nothing to compare with.</summary>
    public double? Share => Limit is { } limit && limit > 0 ? (double)(Used / limit) : null;

    /// <summary>At 80% of its cap or more.</summary>
    public bool NearCap => Share >= FlagShare;

    /// <summary>Whole percent used, for the bar (0 without a cap; may pass 100).</summary>
    public int Percent => Share is { } share ? (int)Math.Floor(share * 100) : 0;

    /// <param name="providerId">The key's catalog id: a provider in <see cref="IProviderProjectSpendReading.ProjectWideProviders"/> reports a project's spend, and the words say so.</param>
    public static SpendStanding From(KeySpend spend, string label, string providerName, VaultEnvironment environment, decimal? recordedCap, string? providerId = null)
    {
        var projectWide = providerId is not null && IProviderProjectSpendReading.ProjectWideProviders.Contains(providerId);
        if (spend.ProviderLimit is { } limit)
        {
            return new(spend.KeyId, label, providerName, environment, spend.Unit, spend.UsedThisMonth, SpendBasis.ProviderLimit,
                spend.UsedAgainstLimit ?? spend.UsedThisMonth, limit, spend.LimitPeriod, spend.ReadAt, projectWide);
        }

        return spend.Unit == SpendUnit.Dollars && recordedCap is { } cap && cap > 0
            ? new(spend.KeyId, label, providerName, environment, spend.Unit, spend.UsedThisMonth, SpendBasis.RecordedCap, spend.UsedThisMonth, cap, SpendPeriod.Month, spend.ReadAt, projectWide)
            : new(spend.KeyId, label, providerName, environment, spend.Unit, spend.UsedThisMonth, SpendBasis.NoCap, spend.UsedThisMonth, null, SpendPeriod.Month, spend.ReadAt, projectWide);
    }

    /// <summary>"Spent $12.40 of $20 this month", "12,400 of 100,000 characters this month", "Spent $12.40 this month".</summary>
    public string Figure
    {
        get
        {
            var period = PeriodWords(Period);
            if (Unit == SpendUnit.Characters)
            {
                return Limit is { } characters
                    ? $"{Amount(Used)} of {Amount(characters)} characters {period}"
                    : $"{Amount(Used)} characters {period}";
            }

            if (Limit is not { } limit)
            {
                return $"Spent {Amount(UsedThisMonth)} this month";
            }

            var figure = $"Spent {Amount(Used)} of {Amount(limit)} {period}";
            return Period == SpendPeriod.Month ? figure : $"{figure} ({Amount(UsedThisMonth)} this month)";
        }
    }

    /// <summary>What the figure is compared with, in words: the part that says which.</summary>
    public string Against => Basis switch
    {
        SpendBasis.ProviderLimit when Unit == SpendUnit.Characters => $"against the character limit of your {ProviderName} plan",
        SpendBasis.ProviderLimit => $"against the limit {ProviderName} reports for this key",
        SpendBasis.RecordedCap => "against the monthly cap recorded on this key",
        _ => "no cap set",
    };

    /// <summary>
    /// "Spent $12.40 of $20 this month (as of 14:05), against the monthly cap recorded on this key." A project's figure
    /// (OpenAI) says whose spend it is: "… this month by the whole OpenAI project (every key in it) (as of …)".
    /// </summary>
    public string Sentence(string asOf) => ProjectWide
        ? $"{Figure} by the whole {ProviderName} project, every key in it (as of {asOf}), {Against}."
        : $"{Figure} (as of {asOf}), {Against}.";

    /// <summary>"62% of its cap used" / "over its cap: 104%" / "no cap set", for an accessible name or a list.</summary>
    public string ShareWords => Share is null
        ? "no cap set"
        : Percent >= 100 ? $"over its {LimitNoun}: {Percent}% used" : $"{Percent}% of its {LimitNoun} used";

    private string LimitNoun => Basis == SpendBasis.ProviderLimit ? "limit" : "cap";

    /// <summary>"$12.40" for dollars (cents), "12,400" for characters.</summary>
    public string Amount(decimal amount) => Unit == SpendUnit.Characters
        ? decimal.Round(amount, 0).ToString("#,0", CultureInfo.InvariantCulture)
        : Wording.Money(decimal.Round(amount, 2));

    public static string PeriodWords(SpendPeriod period) => period switch
    {
        SpendPeriod.Day => "today",
        SpendPeriod.Week => "this week",
        SpendPeriod.Month => "this month",
        _ => "in total",
    };
}
