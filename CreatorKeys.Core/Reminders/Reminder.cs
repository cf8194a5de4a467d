namespace CreatorKeys.Core.Reminders;

/// <summary>
/// One row of the reminder ledger: "this key, due on this day, has had this reminder". The
/// row is unique per key, due date, stage and step, so running the check twice (or after a
/// restart) can never remind twice; it doubles as the in-app notification.
/// </summary>
public sealed class Reminder
{
    public Guid Id { get; set; }

    public string AccountId { get; set; } = "";

    public Guid ApiKeyId { get; set; }

    public DateOnly DueOn { get; set; }

    public ReminderStage Stage { get; set; }

    /// <summary>30 or 7 for an upcoming reminder, 0 on the due day, 1, 2, … for each weekly overdue repeat.</summary>
    public int Step { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the creator marked the notification as read; null while unread.</summary>
    public DateTimeOffset? ReadAt { get; set; }

    /// <summary>The digest email that carries this reminder.</summary>
    public Guid? OutboxMessageId { get; set; }

    public ReminderPoint Point => new(Stage, Step);
}
