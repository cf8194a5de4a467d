using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>Names that tell keys apart: a suggestion never repeats one in use, and a picker never says the environment twice.</summary>
public sealed class KeyLabelsTests
{
    private const string SameDay = "PROD — OpenAI — Created 2026-12-07";

    [Fact]
    public void Distinct_NameNotTaken_KeepsIt()
    {
        Assert.Equal(SameDay, KeyLabels.Distinct(SameDay, ["PROD — OpenAI — Created 2026-09-01"]));
    }

    [Fact]
    public void Distinct_NameTakenInAnotherCaseOrSpacing_AddsTheNextFreeCounter()
    {
        Assert.Equal($"{SameDay} (2)", KeyLabels.Distinct(SameDay, ["prod — openai —  created 2026-12-07 "]));
        Assert.Equal($"{SameDay} (3)", KeyLabels.Distinct(SameDay, [SameDay, $"{SameDay} (2)"]));
    }

    [Theory]
    [InlineData("PROD — OpenAI — Created 2026-12-07", "prod — openai — created 2026-12-07", true)]
    [InlineData("PROD — OpenAI — Created 2026-12-07", "  PROD —  OpenAI — Created 2026-12-07\t", true)]
    [InlineData("PROD — OpenAI — Created 2026-12-07", "PROD — OpenAI — Created 2026-12-07 (2)", false)]
    public void Same_IgnoresCaseAndSpacingOnly(string a, string b, bool same)
    {
        Assert.Equal(same, KeyLabels.Same(a, b));
    }

    [Fact]
    public void ForPicker_NameSaysTheEnvironment_DoesNotRepeatItAndEndsWithWhatTheProviderShows()
    {
        var text = KeyLabels.ForPicker(Key(VaultEnvironment.Prod, SameDay, "sk-…z59H"));

        Assert.Equal($"{SameDay} · ends z59H", text);
        Assert.DoesNotContain("PROD · PROD", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ForPicker_NameWithoutTheEnvironment_PutsItInFront()
    {
        Assert.Equal("DEV · Video bot key · ends BwjP", KeyLabels.ForPicker(Key(VaultEnvironment.Dev, "Video bot key", "sk-…BwjP")));
    }

    [Theory]
    [InlineData("sk-…z59H", "z59H")]
    [InlineData("…BwjP", "BwjP")]
    [InlineData("sk-…", null)]
    [InlineData("…", null)]
    public void Ending_IsTheTailOfTheHint(string hint, string? ending)
    {
        Assert.Equal(ending, KeyHint.Ending(hint));
    }

    private static KeySummary Key(VaultEnvironment environment, string label, string hint) =>
        new(Guid.NewGuid(), "openai", "OpenAI", environment, label, hint, null, false, KeyStatus.Current, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
