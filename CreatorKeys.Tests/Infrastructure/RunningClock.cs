namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// A clock that starts at a chosen moment and runs at real speed, timers included. For browser tests
/// that need known dates (no midnight passes during the test) while the page lives in real time: a
/// <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/> that stands still also stops
/// MudBlazor's snackbars from ever closing.
/// </summary>
public sealed class RunningClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _started = System.GetTimestamp();

    /// <summary>Now, or 22:00 UTC when it is later than that: a test of a few minutes stays on one date.</summary>
    public static RunningClock OnOneDate()
    {
        var now = DateTimeOffset.UtcNow;
        var latest = new DateTimeOffset(now.UtcDateTime.Date.AddHours(22), TimeSpan.Zero);
        return new RunningClock(now < latest ? now : latest);
    }

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => start + System.GetElapsedTime(_started);
}
