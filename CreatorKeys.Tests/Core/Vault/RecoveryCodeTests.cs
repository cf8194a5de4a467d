using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

public sealed partial class RecoveryCodeTests
{
    [Fact]
    public void Generate_GivesSixGroupsOfFourFromCrockfordAlphabet()
    {
        var code = RecoveryCode.Generate();

        Assert.Matches(Shape(), code);
    }

    [Fact]
    public void Generate_ManyTimes_NeverRepeats()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => RecoveryCode.Generate()).ToHashSet();

        Assert.Equal(1000, codes.Count);
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn-pqrs-tvwx-yz01", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")]
    [InlineData("ABCD EFGH JKMN PQRS TVWX YZ01", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")]
    [InlineData("  abcdefghjkmnpqrstvwxyz01\n", "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01")]
    [InlineData("OOOO-IIII-LLLL-0000-1111-2222", "0000-1111-1111-0000-1111-2222")]
    public void Normalize_ForgivesCaseSpacesAndLookAlikes(string typed, string expected) =>
        Assert.Equal(expected, RecoveryCode.Normalize(typed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ABCD-EFGH")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U")]
    [InlineData("ABCD-EFGH-JKMN-PQRS-TVWX-YZ0!")]
    public void Normalize_NotACode_ReturnsNull(string? typed) =>
        Assert.Null(RecoveryCode.Normalize(typed));

    [Fact]
    public void Normalize_GeneratedCode_IsUnchanged()
    {
        var code = RecoveryCode.Generate();

        Assert.Equal(code, RecoveryCode.Normalize(code.ToLowerInvariant()));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}(-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}){5}$")]
    private static partial System.Text.RegularExpressions.Regex Shape();
}
