using System.Globalization;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Rules for monthly spend caps: a cap is a limit set at the provider so a leaked or runaway
/// key can only spend so much. DEV and STAGING keys should always have one, and the caps should
/// grow from DEV to PROD.
/// </summary>
public static class CapRules
{
    /// <summary>A plain error for an amount that cannot be a cap (or budget), or null when it is acceptable.</summary>
    public static string? Validate(decimal? amount, decimal maximum, string noun = "cap")
    {
        if (amount is null)
        {
            return null;
        }

        if (amount < 0)
        {
            return $"A {noun} cannot be negative. Leave it empty for no {noun}.";
        }

        if (amount > maximum)
        {
            return $"That is more than {Money(maximum)} a month. Check for an extra zero.";
        }

        return decimal.Round(amount.Value, 2) != amount.Value ? "Use whole cents, like 19.99." : null;
    }

    /// <summary>Warnings across an account's current keys, each naming the keys it is about.</summary>
    public static IReadOnlyList<CapWarning> Check(IReadOnlyCollection<KeySummary> keys, decimal? monthlyBudget)
    {
        var warnings = new List<CapWarning>();
        var current = keys.Where(k => k.Status == KeyStatus.Current).ToList();

        foreach (var key in current.Where(k => k.Environment != VaultEnvironment.Prod && k.MonthlyCapUsd is null))
        {
            warnings.Add(new CapWarning(CapWarningKind.MissingCap, [key.Id],
                $"“{key.Label}” ({key.Environment.Code()}) has no spend cap. A test key without a cap can run up any bill if it leaks."));
        }

        foreach (var provider in current.GroupBy(k => k.ProviderName, StringComparer.OrdinalIgnoreCase))
        {
            var dev = Highest(provider, VaultEnvironment.Dev);
            var staging = Highest(provider, VaultEnvironment.Staging);
            var prod = Highest(provider, VaultEnvironment.Prod);
            if (dev is { } d && staging is { } s && d.MonthlyCapUsd > s.MonthlyCapUsd)
            {
                warnings.Add(OutOfOrder(d, s));
            }

            if (dev is { } d2 && prod is { } p && d2.MonthlyCapUsd > p.MonthlyCapUsd)
            {
                warnings.Add(OutOfOrder(d2, p));
            }

            if (staging is { } s2 && prod is { } p2 && s2.MonthlyCapUsd > p2.MonthlyCapUsd)
            {
                warnings.Add(OutOfOrder(s2, p2));
            }
        }

        var prodKeys = current.Where(k => k.Environment == VaultEnvironment.Prod && k.MonthlyCapUsd is not null).ToList();
        var prodTotal = prodKeys.Sum(k => k.MonthlyCapUsd!.Value);
        if (monthlyBudget is { } budget && prodTotal > budget)
        {
            warnings.Add(new CapWarning(CapWarningKind.OverBudget, prodKeys.Select(k => k.Id).ToList(),
                $"Your PROD caps add up to {Money(prodTotal)} a month, more than your monthly budget of {Money(budget)}."));
        }

        return warnings;
    }

    public static string Money(decimal amount) =>
        amount.ToString(amount == decimal.Truncate(amount) ? "$#,0" : "$#,0.00", CultureInfo.InvariantCulture);

    private static KeySummary? Highest(IEnumerable<KeySummary> keys, VaultEnvironment environment) =>
        keys.Where(k => k.Environment == environment && k.MonthlyCapUsd is not null).MaxBy(k => k.MonthlyCapUsd);

    private static CapWarning OutOfOrder(KeySummary lower, KeySummary higher) =>
        new(CapWarningKind.OutOfOrder, [lower.Id, higher.Id],
            $"{lower.ProviderName}: the {lower.Environment.Code()} cap ({Money(lower.MonthlyCapUsd!.Value)}) is higher than the " +
            $"{higher.Environment.Code()} cap ({Money(higher.MonthlyCapUsd!.Value)}). Test keys should be allowed to spend less than live ones.");
}

public enum CapWarningKind
{
    MissingCap,
    OutOfOrder,
    OverBudget,
}

public sealed record CapWarning(CapWarningKind Kind, IReadOnlyList<Guid> KeyIds, string Message);
