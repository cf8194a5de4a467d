namespace CreatorKeys.Core.Email;

/// <summary>
/// An email waiting to be sent, or sent. The database is the truth: a message written here
/// survives a restart and is sent after it; a failed send is tried again later.
/// </summary>
public sealed class OutboxMessage
{
    public const int MaxSubjectLength = 200;
    public const int MaxErrorLength = 500;

    public Guid Id { get; set; }

    /// <summary>The account the message is for; null for messages of the install itself.</summary>
    public string? AccountId { get; set; }

    public OutboxMessageKind Kind { get; set; }

    public string ToAddress { get; set; } = "";

    public string Subject { get; set; } = "";

    public string TextBody { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not sent before this time (a retry waits, growing longer after each failure).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    /// <summary>Why the last attempt failed, in plain words; null after a success.</summary>
    public string? LastError { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Where it went: "SMTP smtp.example.com" or the .eml file's name.</summary>
    public string? SentVia { get; set; }

    /// <summary>Unique when set: a message that must exist at most once, e.g. one monthly report per account and month.</summary>
    public string? DedupKey { get; set; }

    public string? AttachmentName { get; set; }

    public string? AttachmentContentType { get; set; }

    public byte[]? Attachment { get; set; }
}

public enum OutboxMessageKind
{
    ReminderDigest,
    MonthlyReport,
    SecurityNotice,
    NearCapNotice,
}
