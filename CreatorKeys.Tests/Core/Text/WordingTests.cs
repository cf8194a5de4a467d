using CreatorKeys.Core.Text;

namespace CreatorKeys.Tests.Core.Text;

public sealed class WordingTests
{
    [Theory]
    [InlineData(0, "0 keys")]
    [InlineData(1, "1 key")]
    [InlineData(2, "2 keys")]
    [InlineData(1250, "1,250 keys")]
    public void Count_Key_SingularOnlyForOne(int count, string expected) =>
        Assert.Equal(expected, Wording.Count(count, "key"));

    [Fact]
    public void Count_IrregularPlural_UsesIt() =>
        Assert.Equal(("1 entry", "3 entries"), (Wording.Count(1, "entry", "entries"), Wording.Count(3, "entry", "entries")));

    [Theory]
    [InlineData(1, "every day", "Every day")]
    [InlineData(7, "every 7 days", "Every 7 days")]
    [InlineData(90, "every 90 days", "Every 90 days")]
    public void Every_Days_ReadsAsPeopleSayIt(int days, string lower, string capitalised) =>
        Assert.Equal((lower, capitalised), (Wording.Every(days), Wording.EveryCapitalised(days)));

    [Theory]
    [InlineData("300", "$300")]
    [InlineData("300.0", "$300")]
    [InlineData("1250", "$1,250")]
    [InlineData("12.5", "$12.50")]
    public void Money_Amount_NoPointForWholeDollars(string amount, string expected) =>
        Assert.Equal(expected, Wording.Money(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("OpenAI", "an OpenAI")]
    [InlineData("ElevenLabs", "an ElevenLabs")]
    [InlineData("Anthropic", "an Anthropic")]
    [InlineData("n8n", "an n8n")]
    [InlineData("SDK", "an SDK")]
    [InlineData("HTTP", "an HTTP")]
    [InlineData("Runway", "a Runway")]
    [InlineData("HeyGen", "a HeyGen")]
    [InlineData("Make", "a Make")]
    [InlineData("Zapier", "a Zapier")]
    [InlineData("Replicate", "a Replicate")]
    [InlineData("STAGING", "a STAGING")]
    [InlineData("DEV", "a DEV")]
    [InlineData("Udio", "a Udio")]
    public void WithArticle_Name_ByHowItSounds(string name, string expected) =>
        Assert.Equal(expected, Wording.WithArticle(name));

    [Theory]
    [InlineData(2026, 12, 7, "7 Dec 2026")]
    [InlineData(2027, 1, 31, "31 Jan 2027")]
    public void Day_ReadsAsPeopleWriteIt_WithItsYear(int year, int month, int day, string expected) =>
        Assert.Equal(expected, Wording.Day(new DateOnly(year, month, day)));

    [Fact]
    public void MomentUtc_IsTheUtcTime_WhateverTheOffsetGiven() =>
        Assert.Equal("7 Dec 2026, 08:05 UTC", Wording.MomentUtc(new DateTimeOffset(2026, 12, 7, 9, 5, 0, TimeSpan.FromHours(1))));

    [Fact]
    public void Day_IsReadBackByTheActivityFilter()
    {
        Assert.True(CreatorKeys.Web.Components.DateText.TryParseDay(Wording.Day(new DateOnly(2026, 12, 7)), new DateOnly(2027, 3, 1), out var day));
        Assert.Equal(new DateOnly(2026, 12, 7), day);
    }
}
