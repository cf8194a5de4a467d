using CreatorKeys.Core.Import;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Import;

public sealed class ImportPlannerTests
{
    private static readonly IReadOnlyList<ProviderInfo> Providers = ProviderCatalog.Shipped.Providers;
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("OPENAI_API_KEY", "openai")]
    [InlineData("OPENAI_KEY_PROD", "openai")]
    [InlineData("ANTHROPIC_API_KEY", "anthropic")]
    [InlineData("CLAUDE_KEY_DEV", "anthropic")]
    [InlineData("GEMINI_API_KEY", "google-gemini")]
    [InlineData("ELEVEN_LABS_API_KEY", "elevenlabs")]
    [InlineData("XI_API_KEY", "elevenlabs")]
    [InlineData("REPLICATE_API_TOKEN", "replicate")]
    [InlineData("FAL_KEY", "fal")]
    [InlineData("HF_TOKEN", "huggingface")]
    [InlineData("n8n_api_key", "n8n")]
    public void ProviderFromName_FindsTheProviderWord(string name, string expected) =>
        Assert.Equal(expected, ImportPlanner.ProviderFromName(name, Providers)?.Id);

    [Theory]
    [InlineData("DATABASE_URL")]
    [InlineData("SECRET_KEY")]
    [InlineData("MAKEFILE_PATH")]
    public void ProviderFromName_NoProviderWord_GuessesNothing(string name) =>
        Assert.Null(ImportPlanner.ProviderFromName(name, Providers));

    [Theory]
    [InlineData("OPENAI_KEY_DEV", VaultEnvironment.Dev)]
    [InlineData("OPENAI_KEY_TEST", VaultEnvironment.Dev)]
    [InlineData("STAGING_OPENAI_KEY", VaultEnvironment.Staging)]
    [InlineData("OPENAI_KEY_PROD", VaultEnvironment.Prod)]
    [InlineData("openai-key-live", VaultEnvironment.Prod)]
    [InlineData("OPENAI_PRODUCTION_KEY", VaultEnvironment.Prod)]
    public void EnvironmentFromName_ReadsTheMarker(string name, VaultEnvironment expected) =>
        Assert.Equal(expected, ImportPlanner.EnvironmentFromName(name));

    [Theory]
    [InlineData("OPENAI_KEY")]
    [InlineData("DEVICE_ID")]
    [InlineData("PRODUCT_KEY")]
    public void EnvironmentFromName_NoMarker_IsNull(string name) =>
        Assert.Null(ImportPlanner.EnvironmentFromName(name));

    [Fact]
    public void Plan_GuessesProviderEnvironmentAndConventionalName()
    {
        var candidates = Plan("OPENAI_API_KEY_PROD=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0f\nMY_TOOL_TOKEN=r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", VaultEnvironment.Dev);

        var openai = candidates[0];
        Assert.Equal(("openai", VaultEnvironment.Prod, true, "PROD — OpenAI — Imported 2026-11-27", "sk-…7cDE0f"[..3]),
            (openai.Provider?.Id, openai.Environment, openai.EnvironmentFromName, openai.Label, openai.Hint[..3]));
        Assert.True(openai.Include);
        var byShape = candidates[1];
        Assert.Equal(("replicate", VaultEnvironment.Dev, false), (byShape.Provider?.Id, byShape.Environment, byShape.EnvironmentFromName));
    }

    [Fact]
    public void Plan_SettingsThatAreNotKeys_AreLeftOutWithAReason()
    {
        var candidates = Plan("PORT=3000\nDEBUG=true\nAPI_URL=https://api.example.com/v1/something-long\nSHORT=abc\nEMPTY=", VaultEnvironment.Dev);

        Assert.All(candidates, c => Assert.False(c.Include));
        Assert.All(candidates, c => Assert.NotNull(c.Note));
        Assert.StartsWith("Empty", candidates[4].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_SameValueTwiceInTheFile_KeepsTheFirst()
    {
        var candidates = Plan("OPENAI_KEY_DEV=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z\nOPENAI_KEY_PROD=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z", VaultEnvironment.Dev);

        Assert.True(candidates[0].Include);
        Assert.False(candidates[1].Include);
        Assert.Contains("OPENAI_KEY_DEV", candidates[1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_ValueThatDoesNotMatchTheNamedProvider_IsFlaggedButIncluded()
    {
        var candidate = Plan("OPENAI_API_KEY=r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", VaultEnvironment.Dev).Single();

        Assert.True(candidate.Include);
        Assert.Contains("looks like a key from Replicate", candidate.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownProvider_UsesTheVariableNameAsService()
    {
        var candidate = Plan("MYSTERY_SERVICE_TOKEN=abcdefghijklmnopqrstuvwxyz012345", VaultEnvironment.Staging).Single();

        Assert.Null(candidate.Provider);
        Assert.Equal("MYSTERY_SERVICE_TOKEN", candidate.ProviderName);
        Assert.Equal(VaultEnvironment.Staging, candidate.Environment);
    }

    private static IReadOnlyList<ImportCandidate> Plan(string text, VaultEnvironment defaultEnvironment) =>
        ImportPlanner.Plan(DotEnvParser.Parse(text), Providers, defaultEnvironment, Now);
}
