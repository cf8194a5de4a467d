using System.Globalization;
using System.Net;
using System.Text;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Reminders;

/// <summary>
/// Part of the daily check: emails a creator when a key's last known spend reaches 80% of its cap, even when no
/// reminder is due (the digest, which also lists such keys, is written only when one is). Once per key per crossing:
/// <see cref="KeySpend.NearCapNoticeMonth"/> holds the figure's month once the email is queued, and is cleared when the
/// figure drops below 80%, so a new month's figure over 80% (or a new crossing) sends again. The mark is set by a
/// conditional update in the same transaction as the outbox message, so two instances running the check together send
/// it once. Metadata only: kept figures, no vault, no provider call.
/// </summary>
public sealed class NearCapNoticeService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    OutboxService outbox,
    IOptions<EmailOptions> emailOptions,
    ILogger<NearCapNoticeService> logger)
{
    /// <summary>Queues the near-cap emails due (every account, or one); returns how many emails were queued.</summary>
    public async Task<int> SendAsync(string? accountId = null, CancellationToken cancellationToken = default)
    {
        List<Candidate> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var query = db.KeySpends.AsNoTracking()
                .Join(db.ApiKeys, s => s.KeyId, k => k.Id, (s, k) => new { Spend = s, k.Status, k.IsManagementKey, k.Label, k.ProviderName, k.ProviderId, k.Environment, k.MonthlyCapUsd })
                .Where(r => r.Status == KeyStatus.Current && !r.IsManagementKey);
            if (accountId is not null)
            {
                query = query.Where(r => r.Spend.AccountId == accountId);
            }

            rows = (await query.ToListAsync(cancellationToken))
                .Select(r => new Candidate(r.Spend.AccountId, r.Spend.NearCapNoticeMonth, SpendStanding.From(r.Spend, r.Label, r.ProviderName, r.Environment, r.MonthlyCapUsd, r.ProviderId)))
                .ToList();
        }

        // Below 80% again: the next crossing is news.
        var dropped = rows.Where(r => r.NoticeMonth is not null && !r.Standing.NearCap).Select(r => r.Standing.KeyId).ToList();
        if (dropped.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.KeySpends.Where(s => dropped.Contains(s.KeyId)).ExecuteUpdateAsync(u => u.SetProperty(s => s.NearCapNoticeMonth, (int?)null), cancellationToken);
        }

        var queued = 0;
        foreach (var account in rows.Where(r => r.Standing.NearCap && r.NoticeMonth != MonthOf(r.Standing.ReadAt)).GroupBy(r => r.AccountId))
        {
            try
            {
                queued += await SendToAccountAsync(account.Key, [.. account.Select(a => a.Standing)], cancellationToken) ? 1 : 0;
            }
            catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException || Database.IsDatabaseError(ex))
            {
                // One account's trouble must not stop the others' notices; the next check tries again.
                logger.LogError(ex, "Near-cap notice failed for account {AccountId}; the other accounts were checked.", account.Key);
            }
        }

        return queued;
    }

    private async Task<bool> SendToAccountAsync(string accountId, IReadOnlyList<SpendStanding> keys, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.Users.Where(u => u.Id == accountId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = new List<SpendStanding>();
        foreach (var key in keys)
        {
            // Only the run that moves the mark sends: another instance's update makes this one match no row.
            var month = MonthOf(key.ReadAt);
            var updated = await db.KeySpends
                .Where(s => s.KeyId == key.KeyId && s.AccountId == accountId && (s.NearCapNoticeMonth == null || s.NearCapNoticeMonth != month))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.NearCapNoticeMonth, month), cancellationToken);
            if (updated == 1)
            {
                marked.Add(key);
            }
        }

        if (marked.Count == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        var notice = Compose(marked, emailOptions.Value.BaseAddress);
        outbox.Stage(db, accountId, OutboxMessageKind.NearCapNotice, email, notice.Subject, notice.Text, notice.Html);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>The figure's month, <c>yyyyMM</c> in UTC (OpenRouter counts UTC months).</summary>
    public static int MonthOf(DateTimeOffset readAt) => (readAt.UtcDateTime.Year * 100) + readAt.UtcDateTime.Month;

    /// <summary>The email: the keys' figures and links to them. Labels and numbers only: never a value, never a hint.</summary>
    public static ReminderDigest.Content Compose(IReadOnlyList<SpendStanding> keys, string baseAddress)
    {
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var ordered = keys.OrderByDescending(k => k.Share).ThenBy(k => k.Label, StringComparer.OrdinalIgnoreCase).ToList();
        var root = baseAddress.TrimEnd('/');
        var subject = ordered.Count == 1
            ? $"“{ordered[0].Label}” has used {ordered[0].Percent}% of its {(ordered[0].Basis == SpendBasis.ProviderLimit ? "limit" : "cap")}"
            : $"{ordered.Count} keys are near their spend cap";
        const string Intro = "A spend cap is the most a key may cost in a month. When a key reaches its cap, the service stops it (or keeps charging, if the cap was only noted here), so a workflow may stop working.";
        const string Footer = "You get this email once each time a key passes 80% of its cap (and again in a new month if it is still there). The figures are the last ones the services reported; they never include a key's value.";

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{subject}\n\n{Intro}\n\n");
        foreach (var key in ordered)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {Line(key)}\n  {key.ShareWords}. See it: {root}/vault/keys/{key.KeyId}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nRaise the cap at the service, or look at what is using the key.\n\n{Footer}\n");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(subject))
            .Append("</title></head><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\">")
            .Append("<h1 style=\"font-size:20px\">").Append(WebUtility.HtmlEncode(subject)).Append("</h1>")
            .Append("<p>").Append(WebUtility.HtmlEncode(Intro)).Append("</p><ul>");
        foreach (var key in ordered)
        {
            html.Append("<li><strong style=\"color:#b45309\">").Append(key.Percent >= 100 ? "Over its cap" : "Near its cap").Append("</strong> — ")
                .Append(WebUtility.HtmlEncode(Line(key))).Append(" (").Append(WebUtility.HtmlEncode(key.ShareWords)).Append(") · <a href=\"")
                .Append(WebUtility.HtmlEncode($"{root}/vault/keys/{key.KeyId}")).Append("\">See it</a></li>");
        }

        html.Append("</ul><p>Raise the cap at the service, or look at what is using the key.</p><p style=\"color:#6b7280\">")
            .Append(WebUtility.HtmlEncode(Footer)).Append("</p></body></html>");
        return new ReminderDigest.Content(subject, text.ToString(), html.ToString());
    }

    private static string Line(SpendStanding key) =>
        $"{key.Environment.Code()} {key.ProviderName} — \"{key.Label}\": {key.Sentence(CreatorKeys.Core.Text.Wording.MomentUtc(key.ReadAt))}";

    private sealed record Candidate(string AccountId, int? NoticeMonth, SpendStanding Standing);
}
