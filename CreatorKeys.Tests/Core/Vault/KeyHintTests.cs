using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class KeyHintTests
{
    [Theory]
    [InlineData("sk-proj-AbCdEfGhIjKlMnOpQrStUvWxa1B2", "sk-…a1B2")]
    [InlineData("sk_3f9c2e8d7b6a5f4e3d2c1b0a9f8eX9z8", "sk_…X9z8")]
    [InlineData("r8_Abcdefghijklmnopqrstuvwxyz0123", "r8_…0123")]
    [InlineData("xai-Abcdefghijklmnopqrstuvwxyz0123", "xai-…0123")]
    [InlineData("AIzaSyAbcdefghijklmnopqrstuvwxyz12345", "…2345")]
    [InlineData("verylongprefix-abcdefghijklmnop1234", "…1234")]
    public void For_TypicalKeys_ShowsPrefixAndLastFour(string value, string expected) =>
        Assert.Equal(expected, KeyHint.For(value));

    [Theory]
    [InlineData("short-key")]
    [InlineData("abc")]
    [InlineData("")]
    public void For_ShortValues_ShowsNothingOfTheValue(string value) =>
        Assert.Equal("…", KeyHint.For(value));

    [Fact]
    public void For_Always_RevealsAtMostPrefixAndFourCharacters()
    {
        const string value = "sk-proj-0123456789abcdefghijklmnopqrstuvwxyz";

        var hint = KeyHint.For(value);

        Assert.True(hint.Replace("…", "", StringComparison.Ordinal).Length <= "sk-".Length + 4);
    }
}
