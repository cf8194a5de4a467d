namespace CreatorKeys.Core.Reminders;

/// <summary>
/// Tells open pages that an account's notifications changed (new reminders, or read
/// elsewhere), so the bell's count updates without a reload.
/// </summary>
public sealed class ReminderNotifier
{
    public event Action<string>? Changed;

    public void Notify(string accountId) => Changed?.Invoke(accountId);
}
