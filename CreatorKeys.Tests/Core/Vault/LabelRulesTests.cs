using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class LabelRulesTests
{
    [Theory]
    [InlineData("Key 1")]
    [InlineData("key2")]
    [InlineData("Default")]
    [InlineData("test")]
    [InlineData("API key")]
    [InlineData("my key")]
    [InlineData("new key 3")]
    [InlineData("PROD")]
    [InlineData("x")]
    public void IsVague_GenericNames_AreVague(string label) => Assert.True(LabelRules.IsVague(label));

    [Theory]
    [InlineData("PROD — OpenAI — Created 2026-11-23")]
    [InlineData("OpenAI avatar pipeline")]
    [InlineData("ElevenLabs narrator voice")]
    public void IsVague_DescriptiveNames_AreNot(string label) => Assert.False(LabelRules.IsVague(label));

    [Fact]
    public void Check_ConventionalName_HasNoProblems() =>
        Assert.Empty(LabelRules.Check("PROD — OpenAI — Created 2026-11-23", VaultEnvironment.Prod));

    [Fact]
    public void Check_VagueName_SaysSoOnlyOnce()
    {
        var problems = LabelRules.Check("Key 1", VaultEnvironment.Dev);

        Assert.Equal("“Key 1” does not say which key this is.", Assert.Single(problems));
    }

    [Fact]
    public void Check_NameWithoutEnvironmentOrDate_ListsBoth()
    {
        var problems = LabelRules.Check("OpenAI avatar pipeline", VaultEnvironment.Staging);

        Assert.Equal(2, problems.Count);
        Assert.Contains("STAGING", problems[0], StringComparison.Ordinal);
        Assert.Contains("no date", problems[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NameOfTheWrongEnvironment_SaysWhichItNames() =>
        Assert.Equal("The name says DEV, but this is the PROD key.", Assert.Single(LabelRules.Check("DEV — OpenAI — Created 2026-11-23", VaultEnvironment.Prod)));

    [Theory]
    [InlineData("LIVE OpenAI 2026-11", VaultEnvironment.Prod)]
    [InlineData("OpenAI development key 2025-01-31", VaultEnvironment.Dev)]
    public void Check_SynonymsAndMonthDates_AreAccepted(string label, VaultEnvironment environment) =>
        Assert.Empty(LabelRules.Check(label, environment));
}
