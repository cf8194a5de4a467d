using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class CapRulesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("5")]
    [InlineData("19.99")]
    [InlineData("100000")]
    public void Validate_SensibleAmounts_Pass(string? amount) =>
        Assert.Null(CapRules.Validate(amount is null ? null : decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), 100_000m));

    [Fact]
    public void Validate_Negative_Refused() =>
        Assert.Contains("cannot be negative", CapRules.Validate(-1m, 100_000m), StringComparison.Ordinal);

    [Fact]
    public void Validate_AboveMaximum_SuggestsATypo() =>
        Assert.Contains("$100,000", CapRules.Validate(100_001m, 100_000m), StringComparison.Ordinal);

    [Fact]
    public void Validate_FractionsOfACent_Refused() =>
        Assert.NotNull(CapRules.Validate(1.234m, 100_000m));

    [Fact]
    public void Check_TestKeysWithoutCap_AreFlagged_ProdIsNot()
    {
        var keys = new[] { Key("OpenAI", VaultEnvironment.Dev, null), Key("OpenAI", VaultEnvironment.Staging, 20), Key("OpenAI", VaultEnvironment.Prod, null) };

        var warning = Assert.Single(CapRules.Check(keys, null));

        Assert.Equal(CapWarningKind.MissingCap, warning.Kind);
        Assert.Equal(keys[0].Id, Assert.Single(warning.KeyIds));
    }

    [Fact]
    public void Check_DevAboveProd_IsOutOfOrder()
    {
        var keys = new[] { Key("OpenAI", VaultEnvironment.Dev, 50), Key("OpenAI", VaultEnvironment.Staging, 20), Key("OpenAI", VaultEnvironment.Prod, 30) };

        var warnings = CapRules.Check(keys, null).Where(w => w.Kind == CapWarningKind.OutOfOrder).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.Message.Contains("DEV cap ($50) is higher than the STAGING cap ($20)", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Message.Contains("DEV cap ($50) is higher than the PROD cap ($30)", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_CapsOfDifferentProviders_AreNotCompared()
    {
        var keys = new[] { Key("OpenAI", VaultEnvironment.Dev, 50), Key("Runway", VaultEnvironment.Prod, 10) };

        Assert.DoesNotContain(CapRules.Check(keys, null), w => w.Kind == CapWarningKind.OutOfOrder);
    }

    [Fact]
    public void Check_ProdCapsAboveBudget_AreFlaggedWithTheTotal()
    {
        var keys = new[] { Key("OpenAI", VaultEnvironment.Prod, 300), Key("Runway", VaultEnvironment.Prod, 250.50m) };

        var warning = Assert.Single(CapRules.Check(keys, 500), w => w.Kind == CapWarningKind.OverBudget);

        Assert.Contains("$550.50", warning.Message, StringComparison.Ordinal);
        Assert.Contains("$500", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(CapRules.Check(keys, 600), w => w.Kind == CapWarningKind.OverBudget);
    }

    [Fact]
    public void Check_RetiredKeys_AreIgnored()
    {
        var retired = Key("OpenAI", VaultEnvironment.Dev, null) with { Status = KeyStatus.Retired };

        Assert.Empty(CapRules.Check([retired], null));
    }

    private static KeySummary Key(string provider, VaultEnvironment environment, decimal? cap) =>
        new(Guid.NewGuid(), null, provider, environment, $"{environment.Code()} — {provider}", "…", cap, false, KeyStatus.Current, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
}
