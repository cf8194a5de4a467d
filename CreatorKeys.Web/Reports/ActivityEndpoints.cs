using System.Globalization;
using System.Security.Claims;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Accounts;

namespace CreatorKeys.Web.Reports;

/// <summary>The activity log as CSV: <c>/activity/export.csv</c> with the page's filters. Signed-in only, own log only.</summary>
internal static class ActivityEndpoints
{
    public static void MapActivityEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/activity/export.csv", ExportAsync).RequireAuthorization();

    public static string Query(string? action, string? environment, string? from, string? to)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value.Trim())}");
            }
        }

        Add("action", action);
        Add("environment", environment);
        Add("from", from);
        Add("to", to);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    /// <summary>Reads the filter; dates are calendar days (2026-12-07) in <paramref name="timeZone"/>, "to" included.</summary>
    public static bool TryParse(string? action, string? environment, string? from, string? to, TimeZoneInfo timeZone, out ActivityFilter filter, out string problem)
    {
        filter = ActivityFilter.None;
        problem = "";
        ActivityAction? parsedAction = null;
        if (!string.IsNullOrWhiteSpace(action))
        {
            if (!Enum.TryParse<ActivityAction>(action.Trim(), ignoreCase: true, out var value) || !Enum.IsDefined(value) || action.Trim().All(char.IsDigit))
            {
                problem = "That kind of activity is not one CreatorKeys records.";
                return false;
            }

            parsedAction = value;
        }

        VaultEnvironment? parsedEnvironment = null;
        if (!string.IsNullOrWhiteSpace(environment))
        {
            parsedEnvironment = VaultEnvironments.ParseCode(environment);
            if (parsedEnvironment is null)
            {
                problem = "The environment must be DEV, STAGING or PROD.";
                return false;
            }
        }

        if (!TryDay(from, out var fromDay) || !TryDay(to, out var toDay))
        {
            problem = "Dates must look like 2026-11-28.";
            return false;
        }

        if (fromDay is { } f && toDay is { } t && t < f)
        {
            problem = "The end date is before the start date.";
            return false;
        }

        filter = new ActivityFilter(parsedAction, parsedEnvironment, Start(fromDay, timeZone), Start(toDay?.AddDays(1), timeZone));
        return true;
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            day = value;
            return true;
        }

        return false;
    }

    private static DateTimeOffset? Start(DateOnly? day, TimeZoneInfo timeZone)
    {
        if (day is not { } value)
        {
            return null;
        }

        // In UTC, as the log stores its times: SQLite compares them as text, so a +13:00 bound would sort wrongly.
        var local = value.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, timeZone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static async Task<IResult> ExportAsync(string? action, string? environment, string? from, string? to, HttpContext http, ActivityService activity, ReminderService reminders, ActionLimits limits, CancellationToken cancellationToken)
    {
        // Days are the creator's, in their browser's time zone (the cookie js/theme.js sets), as on the page.
        var timeZone = Components.LocalTime.Find(http.Request.Cookies[Components.LocalTime.CookieName]) ?? reminders.TimeZone;
        if (!TryParse(action, environment, from, to, timeZone, out var filter, out var problem))
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "That activity filter is not valid");
        }

        var accountId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (!limits.TryTake(LimitedAction.Export, accountId))
        {
            return RateLimiting.TooManyDownloads(http);
        }

        var csv = await activity.ExportCsvAsync(accountId, filter, http.Origin(), cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(csv, "text/csv; charset=utf-8", $"creatorkeys-activity-{reminders.Today:yyyy-MM-dd}.csv");
    }
}
