using CreatorKeys.Web.Components;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Web;

/// <summary>The one date formatter every page uses, and the date filters that read its output back.</summary>
public sealed class DateTextTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("2026-12-07", "7 Dec")]
    [InlineData("2026-01-31", "31 Jan")]
    [InlineData("2027-03-01", "1 Mar 2027")]
    [InlineData("2025-12-07", "7 Dec 2025")]
    public void Day_YearOnlyWhenNotThisYear(string day, string expected) =>
        Assert.Equal(expected, DateText.Day(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), Today));

    [Fact]
    public void When_InstantInTheCreatorsZone_WrittenAsPeopleReadIt()
    {
        var at = new DateTimeOffset(2026, 12, 7, 7, 0, 0, TimeSpan.Zero);

        Assert.Equal("7 Dec, 08:00", DateText.When(at, Berlin, Today));
        Assert.Equal("7 Dec, 02:00", DateText.When(at, NewYork, Today));
        Assert.Equal("7 Dec, 07:00", DateText.When(at, TimeZoneInfo.Utc, Today));
    }

    [Fact]
    public void Day_InstantNearMidnight_IsTheDayInTheCreatorsZone()
    {
        var at = new DateTimeOffset(2026, 12, 7, 3, 30, 0, TimeSpan.Zero);

        Assert.Equal(("7 Dec", "6 Dec"), (DateText.Day(at, Berlin, Today), DateText.Day(at, NewYork, Today)));
    }

    [Theory]
    [InlineData("7 Dec", "2026-12-07")]
    [InlineData("7 dec", "2026-12-07")]
    [InlineData(" 7  Dec ", "2026-12-07")]
    [InlineData("7 December", "2026-12-07")]
    [InlineData("Dec 7", "2026-12-07")]
    [InlineData("7 Dec, 08:00", "2026-12-07")]
    [InlineData("7 Dec 2025", "2025-12-07")]
    [InlineData("7 Dec 2025, 08:00", "2025-12-07")]
    [InlineData("2026-11-28", "2026-11-28")]
    [InlineData("25 Dec", "2025-12-25")] // no year: the most recent 25 December, not one in the future
    [InlineData("1 Mar 2027", "2027-03-01")]
    public void TryParseDay_WhatThePagePrints_ReadsBack(string typed, string expected)
    {
        Assert.True(DateText.TryParseDay(typed, Today, out var day));
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), day);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday-ish")]
    [InlineData("32 Dec")]
    [InlineData("2026-13-01")]
    public void TryParseDay_NotADay_Refused(string typed) =>
        Assert.False(DateText.TryParseDay(typed, Today, out _));

    [Fact]
    public void TryParseDay_EveryDayItPrints_ReadsBack()
    {
        for (var day = Today.AddDays(-400); day <= Today.AddDays(400); day = day.AddDays(1))
        {
            Assert.True(DateText.TryParseDay(DateText.Day(day, Today), Today, out var read), DateText.Day(day, Today));
            // Without a year a day reads as the most recent one; the page prints the year for any other year.
            Assert.Equal(day.Year == Today.Year && day > Today ? day.AddYears(-1) : day, read);
        }
    }

    [Fact]
    public void LocalTime_BrowserZone_UsedForTodayAndTimes()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 23, 30, 0, TimeSpan.Zero));
        var local = new LocalTime(clock);
        local.Use("Europe/Berlin");

        Assert.True(local.IsBrowserZone);
        Assert.Equal(new DateOnly(2026, 12, 8), local.Today);
        Assert.Equal("8 Dec, 00:30", local.When(clock.GetUtcNow()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    public void LocalTime_NoOrUnknownZone_ShowsUtcAndSaysSo(string? zone)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero));
        var local = new LocalTime(clock);
        local.Use(zone);

        Assert.False(local.IsBrowserZone);
        Assert.Equal("7 Dec, 08:00 UTC", local.When(clock.GetUtcNow()));
    }

    [Fact]
    public void LocalTime_CookieValueStillEscaped_StillFound() =>
        Assert.Equal("America/New_York", LocalTime.Find("America%2FNew_York")?.Id);
}
