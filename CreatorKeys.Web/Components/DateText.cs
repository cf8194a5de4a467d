using System.Globalization;

namespace CreatorKeys.Web.Components;

/// <summary>
/// Dates and times the way people write them: "7 Dec", "7 Dec, 08:00", with the year only when it is not this
/// year ("7 Dec 2025"). The date filters read the same forms back (and 2026-12-07), so what the app prints can
/// be typed into them.
/// </summary>
public static class DateText
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    /// <summary>The forms a typed day may take, after any ", 08:00" is cut off.</summary>
    private static readonly string[] WithYear = ["d MMM yyyy", "d MMMM yyyy", "d MMM, yyyy", "d MMMM, yyyy", "yyyy-MM-dd", "d/M/yyyy", "MMM d yyyy", "MMMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy"];
    private static readonly string[] WithoutYear = ["d MMM", "d MMMM", "MMM d", "MMMM d"];

    /// <summary>"7 Dec" this year, "7 Dec 2027" another year.</summary>
    public static string Day(DateOnly day, DateOnly today) =>
        day.ToString(day.Year == today.Year ? "d MMM" : "d MMM yyyy", Culture);

    /// <summary>The day of an instant in <paramref name="zone"/>: "7 Dec".</summary>
    public static string Day(DateTimeOffset at, TimeZoneInfo zone, DateOnly today) => Day(DateOnly.FromDateTime(Local(at, zone)), today);

    /// <summary>"7 Dec, 08:00" (24-hour clock), "7 Dec 2025, 08:00" another year.</summary>
    public static string When(DateTimeOffset at, TimeZoneInfo zone, DateOnly today)
    {
        var local = Local(at, zone);
        return Day(DateOnly.FromDateTime(local), today) + ", " + local.ToString("HH:mm", Culture);
    }

    /// <summary>"08:00" in <paramref name="zone"/>.</summary>
    public static string Time(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("HH:mm", Culture);

    /// <summary>
    /// Reads a day typed as the app prints it ("7 Dec", "7 Dec 2026", "7 December", "7 Dec, 08:00") or as
    /// 2026-12-07. Without a year it is the most recent such day: in January, "7 Dec" is last December.
    /// </summary>
    public static bool TryParseDay(string? text, DateOnly today, out DateOnly day)
    {
        day = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var typed = string.Join(' ', text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        // "7 Dec, 08:00" as printed: the time is not part of a day.
        var comma = typed.LastIndexOf(',');
        if (comma > 0 && typed[(comma + 1)..].Contains(':', StringComparison.Ordinal))
        {
            typed = typed[..comma].Trim();
        }

        typed = typed.TrimEnd('.');
        if (DateOnly.TryParseExact(typed, WithYear, Culture, DateTimeStyles.AllowWhiteSpaces, out day))
        {
            return true;
        }

        if (DateTime.TryParseExact(typed, WithoutYear, Culture, DateTimeStyles.AllowWhiteSpaces, out var noYear)
            && DateOnly.TryParseExact($"{noYear.Day} {noYear.Month} {today.Year}", "d M yyyy", Culture, DateTimeStyles.None, out day))
        {
            if (day > today)
            {
                day = day.AddYears(-1);
            }

            return true;
        }

        // "29 Feb" in a year without one: the most recent 29 February.
        if (typed.StartsWith("29 Feb", StringComparison.OrdinalIgnoreCase) || (typed.StartsWith("Feb", StringComparison.OrdinalIgnoreCase) && typed.EndsWith(" 29", StringComparison.Ordinal)))
        {
            for (var year = today.Year; year > today.Year - 8; year--)
            {
                if (DateTime.IsLeapYear(year) && new DateOnly(year, 2, 29) <= today)
                {
                    day = new DateOnly(year, 2, 29);
                    return true;
                }
            }
        }

        return false;
    }

    private static DateTime Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone).DateTime;
}
