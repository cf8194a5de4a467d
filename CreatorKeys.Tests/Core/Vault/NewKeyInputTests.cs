using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class NewKeyInputTests
{
    [Theory]
    [InlineData("  sk-abc  ", "sk-abc")]
    [InlineData("\"sk-abc\"", "sk-abc")]
    [InlineData("'sk-abc'\r\n", "sk-abc")]
    [InlineData("`sk-abc`", "sk-abc")]
    [InlineData("\" 'sk-abc' \"", "sk-abc")]
    [InlineData("sk-\"abc", "sk-\"abc")]
    [InlineData("\u201Csk-abc\u201D", "sk-abc")]
    [InlineData("\u2018sk-abc\u2019", "sk-abc")]
    [InlineData("\u200Bsk-a\u200Dbc\uFEFF", "sk-abc")]
    [InlineData("OPENAI_API_KEY=sk-abc", "sk-abc")]
    [InlineData("export OPENAI_API_KEY = \"sk-abc\"", "sk-abc")]
    [InlineData("abc=", "abc=")]
    [InlineData("c2VjcmV0PWtleQ==", "c2VjcmV0PWtleQ==")]
    public void Clean_RemovesWhatIsNeverPartOfAKey(string pasted, string expected) =>
        Assert.Equal(expected, KeyValueText.Clean(pasted));

    [Fact]
    public void Validate_GoodInput_TrimsEverything()
    {
        var (clean, errors) = new NewKeyInput(" OpenAI ", VaultEnvironment.Prod, " PROD — OpenAI ", " \"sk-abc\" ").Validate(null, 100_000m);

        Assert.Empty(errors);
        Assert.Equal(new CleanKeyInput(null, "OpenAI", VaultEnvironment.Prod, "PROD — OpenAI", "sk-abc", null, false, KeyIssueDate.Now), clean);
    }

    [Fact]
    public void Validate_EverythingMissing_ExplainsEachField()
    {
        var (clean, errors) = new NewKeyInput("", null, "   ", "\"\"").Validate(null, 100_000m);

        Assert.Null(clean);
        Assert.Equal(
            [nameof(NewKeyInput.Environment), nameof(NewKeyInput.Label), nameof(NewKeyInput.ProviderName), nameof(NewKeyInput.Value)],
            errors.Keys.Order().ToArray());
    }

    [Fact]
    public void Validate_OverLongLabel_RefusesWithLimitInMessage()
    {
        var (_, errors) = new NewKeyInput("OpenAI", VaultEnvironment.Dev, new string('x', ApiKey.MaxLabelLength + 1), "sk-abc").Validate(null, 100_000m);

        Assert.Contains("120", errors[nameof(NewKeyInput.Label)], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LabelAtLimit_IsAccepted()
    {
        var (clean, _) = new NewKeyInput("OpenAI", VaultEnvironment.Dev, new string('x', ApiKey.MaxLabelLength), "sk-abc").Validate(null, 100_000m);

        Assert.NotNull(clean);
    }

    [Fact]
    public void Validate_ValueOverFourKilobytes_Refused()
    {
        var (_, errors) = new NewKeyInput("OpenAI", VaultEnvironment.Dev, "label", new string('k', ApiKey.MaxValueBytes + 1)).Validate(null, 100_000m);

        Assert.Contains("4 KB", errors[nameof(NewKeyInput.Value)], StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ValueOfExactlyFourKilobytesOfMultibyteText_CountsBytesNotCharacters()
    {
        // 2,049 two-byte characters are 4,098 bytes: one character too many.
        var (_, errors) = new NewKeyInput("OpenAI", VaultEnvironment.Dev, "label", new string('é', 2049)).Validate(null, 100_000m);
        var (clean, _) = new NewKeyInput("OpenAI", VaultEnvironment.Dev, "label", new string('é', 2048)).Validate(null, 100_000m);

        Assert.True(errors.ContainsKey(nameof(NewKeyInput.Value)));
        Assert.NotNull(clean);
    }

    [Fact]
    public void Validate_ErrorMessages_NeverEchoTheValue()
    {
        var value = "sk-" + new string('z', ApiKey.MaxValueBytes);

        var (_, errors) = new NewKeyInput("", null, "", value).Validate(null, 100_000m);

        Assert.All(errors.Values, message => Assert.DoesNotContain("zzzz", message, StringComparison.Ordinal));
    }

    [Fact]
    public void Suggest_Label_FollowsTheConvention()
    {
        var label = KeyLabels.Suggest(VaultEnvironment.Prod, " OpenAI ", new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal("PROD — OpenAI — Created 2026-11-23", label);
    }
}
