using Cronos;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reminders;

/// <summary>When the daily reminder check runs. Section <c>CreatorKeys:Reminders</c>.</summary>
public sealed class ReminderOptions
{
    public const string Section = "CreatorKeys:Reminders";

    /// <summary>A cron expression (minute hour day month weekday) in <see cref="TimeZone"/>; default every day at 08:00.</summary>
    public string Schedule { get; set; } = "0 8 * * *";

    /// <summary>An IANA or Windows time zone id, e.g. <c>Europe/London</c>; empty for the server's own time zone.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>The time zone that decides which calendar day it is for due dates and reminders.</summary>
    public TimeZoneInfo ResolveTimeZone() =>
        string.IsNullOrWhiteSpace(TimeZone) ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(TimeZone.Trim());

    public CronExpression ParseSchedule() => CronExpression.Parse(Schedule.Trim());
}

/// <summary>Refuses to start with a schedule or time zone that cannot be read, saying which and why.</summary>
internal sealed class ReminderOptionsValidator : IValidateOptions<ReminderOptions>
{
    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        var failures = new List<string>();
        try
        {
            options.ParseSchedule();
        }
        catch (Exception ex) when (ex is CronFormatException or ArgumentException)
        {
            failures.Add($"{ReminderOptions.Section}:Schedule \"{options.Schedule}\" is not a cron expression such as \"0 8 * * *\" (every day at 08:00): {ex.Message}");
        }

        try
        {
            options.ResolveTimeZone();
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"{ReminderOptions.Section}:TimeZone \"{options.TimeZone}\" is not a time zone this machine knows (try \"Europe/London\" or \"America/New_York\", or leave it empty for the server's own).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
