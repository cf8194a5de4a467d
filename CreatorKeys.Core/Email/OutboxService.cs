using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CreatorKeys.Core.Email;

/// <summary>
/// The email outbox: messages are written to the database together with what caused them,
/// then sent by <see cref="DeliverDueAsync"/> (after every check, every minute, and at start).
/// A failure is recorded and tried again later, waiting longer each time.
/// </summary>
public sealed class OutboxService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    MailSettingsService mailSettings,
    MailTransport transport,
    TimeProvider time,
    Database database,
    ILogger<OutboxService> logger) : IDisposable
{
    /// <summary>How long to wait after the 1st, 2nd, … failed attempt; the last value repeats.</summary>
    public static IReadOnlyList<TimeSpan> RetryDelays { get; } =
    [
        TimeSpan.FromMinutes(1),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(15),
        TimeSpan.FromHours(1),
        TimeSpan.FromHours(6),
    ];

    private const int BatchSize = 50;

    // One delivery at a time in this process: the minute job, "check now" and start-up never send a message twice.
    // On PostgreSQL, one at a time across every app instance too (SharedLocks.OutboxDelivery), taken inside this gate.
    private readonly SemaphoreSlim _delivering = new(1, 1);

    public void Dispose() => _delivering.Dispose();

    public static TimeSpan RetryDelay(int attempts) => RetryDelays[Math.Clamp(attempts - 1, 0, RetryDelays.Count - 1)];

    /// <summary>Adds a message to a context the caller saves, so it commits with what caused it.</summary>
    internal OutboxMessage Stage(CreatorKeysDbContext db, string? accountId, OutboxMessageKind kind, string to, string subject, string textBody, string htmlBody, MessageAttachment? attachment = null, string? dedupKey = null)
    {
        var now = time.GetUtcNow();
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(),
            AccountId = accountId,
            Kind = kind,
            ToAddress = to,
            Subject = subject.Length > OutboxMessage.MaxSubjectLength ? subject[..OutboxMessage.MaxSubjectLength] : subject,
            TextBody = textBody,
            HtmlBody = htmlBody,
            CreatedAt = now,
            NextAttemptAt = now,
            DedupKey = dedupKey,
            AttachmentName = attachment?.Name,
            AttachmentContentType = attachment?.ContentType,
            Attachment = attachment?.Content,
        };
        db.Outbox.Add(message);
        return message;
    }

    /// <summary>Sends every message whose time has come; returns how many went and how many failed.</summary>
    public async Task<DeliveryReport> DeliverDueAsync(CancellationToken cancellationToken = default)
    {
        await _delivering.WaitAsync(cancellationToken);
        try
        {
            await using var shared = await database.LockAsync(SharedLocks.OutboxDelivery, cancellationToken);
            var sent = 0;
            var failed = 0;
            MailSettings? settings = null;
            while (true)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var now = time.GetUtcNow();
                var batch = await db.Outbox
                    .Where(m => m.SentAt == null && m.NextAttemptAt <= now)
                    .OrderBy(m => m.NextAttemptAt)
                    .Take(BatchSize)
                    .ToListAsync(cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                settings ??= await mailSettings.GetAsync(cancellationToken);
                var serverDown = false;
                foreach (var message in batch)
                {
                    if (serverDown)
                    {
                        break;
                    }

                    message.Attempts++;
                    message.LastAttemptAt = now;
                    try
                    {
                        message.SentVia = await transport.SendAsync(ToMime(message, settings), settings, cancellationToken);
                        message.SentAt = time.GetUtcNow();
                        message.LastError = null;
                        sent++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        message.LastError = MailErrors.Describe(ex, settings);
                        message.NextAttemptAt = now + RetryDelay(message.Attempts);
                        failed++;
                        // A refused message is that message's problem; anything else (no connection, bad
                        // password, TLS) will fail for the rest too: they wait for their own next attempt.
                        serverDown = ex is not MailKit.Net.Smtp.SmtpCommandException;
                        logger.LogWarning("Email {MessageId} not sent (attempt {Attempts}); next try at {NextAttemptAt:u}: {Error}", message.Id, message.Attempts, message.NextAttemptAt, message.LastError);
                    }

                    // Record each outcome at once: a crash after a send must not send it again.
                    await db.SaveChangesAsync(CancellationToken.None);
                }

                if (failed > 0)
                {
                    // The server is refusing; the rest wait for their own next attempt.
                    break;
                }
            }

            return new DeliveryReport(sent, failed);
        }
        finally
        {
            _delivering.Release();
        }
    }

    /// <summary>Sends a test message at once, outside the outbox; the result in plain words.</summary>
    public async Task<TestEmailResult> SendTestAsync(string to, CancellationToken cancellationToken = default)
    {
        var settings = await mailSettings.GetAsync(cancellationToken);
        var message = new OutboxMessage
        {
            Id = Guid.NewGuid(),
            ToAddress = to,
            Subject = "CreatorKeys test email",
            TextBody = "This is a test from CreatorKeys. If you can read it, rotation reminders will reach you.\n",
            HtmlBody = "<p>This is a test from CreatorKeys. If you can read it, rotation reminders will reach you.</p>",
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            var via = await transport.SendAsync(ToMime(message, settings), settings, cancellationToken);
            return settings.UsesSmtp
                ? new TestEmailResult(true, $"Sent to {to} through {settings.Host}. Check your inbox (and the spam folder).")
                : new TestEmailResult(true, $"No mail server is set, so the message was saved as {via} in the outbox folder.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new TestEmailResult(false, MailErrors.Describe(ex, settings));
        }
    }

    /// <summary>The outbox as the settings page shows it, newest first.</summary>
    public async Task<OutboxStatus> GetStatusAsync(string accountId, int take = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var waiting = await db.Outbox.CountAsync(m => m.AccountId == accountId && m.SentAt == null, cancellationToken);
        var recent = await db.Outbox.AsNoTracking()
            .Where(m => m.AccountId == accountId)
            .OrderByDescending(m => m.CreatedAt)
            .Take(take)
            .Select(m => new OutboxEntry(m.Id, m.Subject, m.ToAddress, m.CreatedAt, m.Attempts, m.NextAttemptAt, m.LastError, m.SentAt, m.SentVia))
            .ToListAsync(cancellationToken);
        return new OutboxStatus(waiting, recent);
    }

    internal static MimeMessage ToMime(OutboxMessage message, MailSettings settings)
    {
        var mime = new MimeMessage
        {
            // The same id on every attempt: a mail server that got it once can tell a retry is a repeat.
            MessageId = $"{message.Id:N}@creatorkeys",
            Subject = message.Subject,
            Date = message.CreatedAt,
        };
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.ToAddress));
        var body = new BodyBuilder { TextBody = message.TextBody, HtmlBody = message.HtmlBody };
        if (message.Attachment is { } content && message.AttachmentName is { } name)
        {
            body.Attachments.Add(name, content, ContentType.Parse(message.AttachmentContentType ?? "application/octet-stream"));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }
}

public sealed record DeliveryReport(int Sent, int Failed);

public sealed record MessageAttachment(string Name, string ContentType, byte[] Content);

public sealed record TestEmailResult(bool Succeeded, string Message);

public sealed record OutboxStatus(int Waiting, IReadOnlyList<OutboxEntry> Recent);

public sealed record OutboxEntry(Guid Id, string Subject, string To, DateTimeOffset CreatedAt, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset? SentAt, string? SentVia);
