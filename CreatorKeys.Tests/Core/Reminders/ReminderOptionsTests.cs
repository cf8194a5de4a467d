using CreatorKeys.Core.Reminders;

namespace CreatorKeys.Tests.Core.Reminders;

public sealed class ReminderOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass()
    {
        Assert.True(new ReminderOptionsValidator().Validate(null, new ReminderOptions()).Succeeded);
    }

    [Fact]
    public void Validate_ScheduleThatIsNotCron_SaysWhatAGoodOneLooksLike()
    {
        var result = new ReminderOptionsValidator().Validate(null, new ReminderOptions { Schedule = "every morning" });

        Assert.True(result.Failed);
        Assert.Contains("CreatorKeys:Reminders:Schedule \"every morning\" is not a cron expression such as \"0 8 * * *\"", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownTimeZone_NamesTheSettingAndExamples()
    {
        var result = new ReminderOptionsValidator().Validate(null, new ReminderOptions { TimeZone = "Mars/Olympus_Mons" });

        Assert.True(result.Failed);
        Assert.Contains("CreatorKeys:Reminders:TimeZone \"Mars/Olympus_Mons\" is not a time zone this machine knows", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveTimeZone_AcceptsIanaIds()
    {
        Assert.Equal("Europe/London", new ReminderOptions { TimeZone = "Europe/London" }.ResolveTimeZone().Id);
    }
}
