using CreatorKeys.Core.Providers;

namespace CreatorKeys.Tests.Core.Providers;

public sealed class KeyShapesTests
{
    private static readonly IReadOnlyList<ProviderInfo> All = ProviderCatalog.Shipped.Providers;

    private static ProviderInfo P(string id) => ProviderCatalog.Shipped.Find(id)!;

    [Theory]
    [InlineData("sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0f", "openai")]
    [InlineData("sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0fGH3iJK6lMN9oPQ2r", "anthropic")]
    [InlineData("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", "openrouter")]
    [InlineData("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", "groq")]
    [InlineData("r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", "replicate")]
    [InlineData("sk_0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6071", "elevenlabs")]
    [InlineData("hf_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB", "huggingface")]
    public void Detect_DistinctiveShapes_NameTheirProvider(string value, string expected) =>
        Assert.Equal(expected, KeyShapes.Detect(value, All)?.Id);

    [Theory]
    [InlineData("0a1b2c3d4e5f60718293a4b5c6d7e8f9")] // 32 hex: AssemblyAI, but also a Mistral shape
    [InlineData("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")] // a UUID: Leonardo or Make
    [InlineData("sk-0a1b2c3d4e5f60718293a4b5c6d7e8f9")] // DeepSeek's shape is also an old OpenAI one
    [InlineData("AIzaSyAb3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zQ")] // every Google API key looks like this, not only Gemini's
    [InlineData("hello world")]
    [InlineData("")]
    public void Detect_AmbiguousOrUnknown_GuessesNothing(string value) =>
        Assert.Null(KeyShapes.Detect(value, All));

    [Fact]
    public void MismatchWarning_ValueOfAnotherProvider_NamesBoth()
    {
        var warning = KeyShapes.MismatchWarning("sk-ant-api03-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0fGH3iJK6lMN9oPQ2r", P("elevenlabs"), All);

        Assert.Equal("This looks like a key from Anthropic (Claude), not from ElevenLabs. Check that you pasted it in the right place.", warning);
    }

    [Fact]
    public void MismatchWarning_UnrecognisedValue_SaysWhatTheKeysStartWith()
    {
        var warning = KeyShapes.MismatchWarning("not-a-real-key-at-all", P("replicate"), All);

        Assert.Contains("does not look like a key from Replicate (they start with “r8_”)", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-key-at-all", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchWarning_MatchingValueOrShapelessProvider_IsSilent()
    {
        Assert.Null(KeyShapes.MismatchWarning("r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", P("replicate"), All));
        Assert.Null(KeyShapes.MismatchWarning("anything goes", P("heygen"), All));
        Assert.Null(KeyShapes.MismatchWarning("anything goes", null, All));
    }

    [Fact]
    public void MismatchWarning_SharedShapeThatFitsTheChosenProvider_IsSilent()
    {
        // A UUID is a valid Make token even though Leonardo keys look the same.
        Assert.Null(KeyShapes.MismatchWarning("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", P("make"), All));
    }
}
