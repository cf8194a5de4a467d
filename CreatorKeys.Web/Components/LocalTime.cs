namespace CreatorKeys.Web.Components;

/// <summary>
/// The creator's own time zone (their browser's) for this page or live connection, and every date and time a page
/// prints, written as people read them (<see cref="DateText"/>). The zone comes from the "ck-tz" cookie that
/// js/theme.js sets on every page load, so even the first, prerendered pass knows it: App.razor reads the cookie
/// and hands it to Routes, which hands it here. Without the cookie (a browser that refuses cookies, or scripts
/// off), times are shown in UTC and say so.
/// </summary>
public sealed class LocalTime(TimeProvider time)
{
    /// <summary>The cookie js/theme.js writes: the IANA zone name, e.g. "Europe/Berlin".</summary>
    public const string CookieName = "ck-tz";

    /// <summary>The time zone dates are shown in: the browser's, or UTC when it is not known.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Whether <see cref="Zone"/> is the browser's (false: the UTC fallback).</summary>
    public bool IsBrowserZone { get; private set; }

    /// <summary>Today in the creator's zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime);

    /// <summary>Uses the browser's zone when <paramref name="zoneId"/> is one this machine knows; otherwise nothing changes.</summary>
    public void Use(string? zoneId)
    {
        if (Find(zoneId) is { } zone)
        {
            Zone = zone;
            IsBrowserZone = true;
        }
    }

    /// <summary>The zone named by a browser (an IANA id, at most 64 characters), or null.</summary>
    public static TimeZoneInfo? Find(string? zoneId) =>
        !string.IsNullOrWhiteSpace(zoneId) && zoneId.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(Uri.UnescapeDataString(zoneId.Trim()), out var zone) ? zone : null;

    /// <summary>"7 Dec" (with the year when it is not this one).</summary>
    public string Day(DateTimeOffset at) => DateText.Day(at, Zone, Today);

    /// <summary>A calendar day (a due date): "7 Dec".</summary>
    public string Day(DateOnly day) => DateText.Day(day, Today);

    /// <summary>"7 Dec, 08:00" in the creator's zone (", 08:00 UTC" when the zone is not known).</summary>
    public string When(DateTimeOffset at) => DateText.When(at, Zone, Today) + Suffix;

    /// <summary>"08:00" in the creator's zone.</summary>
    public string Time(DateTimeOffset at) => DateText.Time(at, Zone) + Suffix;

    /// <summary>The day an instant falls on in the creator's zone.</summary>
    public DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>Reads a typed day as <see cref="DateText.TryParseDay"/> does, relative to today in the creator's zone.</summary>
    public bool TryParseDay(string? text, out DateOnly day) => DateText.TryParseDay(text, Today, out day);

    private string Suffix => IsBrowserZone ? "" : " UTC";
}
