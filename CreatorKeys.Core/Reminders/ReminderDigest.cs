using System.Globalization;
using System.Net;
using System.Text;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Reminders;

/// <summary>A key in a digest: what the creator needs to recognise it, never its value.</summary>
public sealed record DigestKey(Guid KeyId, string ProviderName, VaultEnvironment Environment, string Label, string Hint, DateOnly DueOn, ReminderPoint Point);

/// <summary>
/// Writes the one daily email of an account: a subject that says what matters, and the same
/// list as plain text and HTML, each key with a link to start its rotation.
/// </summary>
public static class ReminderDigest
{
    public sealed record Content(string Subject, string Text, string Html);

    private const string CheckpointHelp =
        "Keep this email: typing this code into \"Check against a code you kept\" on the Activity page shows whether anything in your activity log up to today was changed or removed.";

    /// <param name="checkpointCode">The account's activity-log checkpoint (<c>42-7F3A-9C1B</c>), printed so the email itself is a copy kept outside the server.</param>
    /// <param name="nearCap">Keys whose last known spend is at 80% of their cap or more: listed with their figures (numbers only).</param>
    public static Content Compose(IReadOnlyList<DigestKey> keys, DateOnly today, string baseAddress, string? checkpointCode = null, IReadOnlyList<SpendStanding>? nearCap = null)
    {
        nearCap ??= [];
        ArgumentOutOfRangeException.ThrowIfZero(keys.Count);
        var ordered = keys
            .OrderBy(k => k.DueOn)
            .ThenBy(k => k.Environment == VaultEnvironment.Prod ? 0 : 1)
            .ThenBy(k => k.Label, StringComparer.OrdinalIgnoreCase)
            .ToList();
        var subject = Subject(ordered, today);
        var root = baseAddress.TrimEnd('/');

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{subject}\n\n");
        text.Append("Replacing (rotating) a key means creating a new one at the provider, moving your workflows to it, then deleting the old one. CreatorKeys walks you through it.\n\n");
        foreach (var key in ordered)
        {
            text.Append(CultureInfo.InvariantCulture, $"- {Urgency(key, today)}: {key.Environment.Code()} {key.ProviderName} — \"{key.Label}\" ({key.Hint}), due {CreatorKeys.Core.Text.Wording.Day(key.DueOn)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  Start replacing it: {Link(root, key)}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"\nAll keys by due date: {root}/rotation\n");
        if (nearCap.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nNear their spend cap (the last figures the services reported):\n");
            foreach (var spend in nearCap)
            {
                text.Append(CultureInfo.InvariantCulture, $"- {SpendLine(spend)}\n  See it: {root}/vault/keys/{spend.KeyId}\n");
            }
        }

        if (checkpointCode is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nActivity log checkpoint: {checkpointCode}\n{CheckpointHelp} {root}/activity\n");
        }

        text.Append("You get this email because a key in your CreatorKeys vault is due for replacement. It never contains a key's value.\n");

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(subject))
            .Append("</title></head><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\">");
        html.Append("<h1 style=\"font-size:20px\">").Append(WebUtility.HtmlEncode(subject)).Append("</h1>");
        html.Append("<p>Replacing (rotating) a key means creating a new one at the provider, moving your workflows to it, then deleting the old one. CreatorKeys walks you through it.</p>");
        html.Append("<table style=\"border-collapse:collapse\" role=\"presentation\">");
        foreach (var key in ordered)
        {
            var color = key.Point.IsUrgent ? "#b91c1c" : key.Point.Stage == ReminderStage.Due ? "#b45309" : "#1f2937";
            html.Append("<tr><td style=\"padding:8px 12px 8px 0;vertical-align:top;font-weight:600;color:").Append(color).Append("\">")
                .Append(WebUtility.HtmlEncode(Urgency(key, today))).Append("</td><td style=\"padding:8px 0\">")
                .Append("<strong>").Append(WebUtility.HtmlEncode($"{key.Environment.Code()} {key.ProviderName}")).Append("</strong> — ")
                .Append(WebUtility.HtmlEncode(key.Label)).Append(" <code>").Append(WebUtility.HtmlEncode(key.Hint)).Append("</code><br>")
                .Append("Due ").Append(CreatorKeys.Core.Text.Wording.Day(key.DueOn)).Append(" · ")
                .Append("<a href=\"").Append(WebUtility.HtmlEncode(Link(root, key))).Append("\">Start replacing it</a></td></tr>");
        }

        html.Append("</table>");
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(root + "/rotation")).Append("\">See all keys by due date</a></p>");
        if (nearCap.Count > 0)
        {
            html.Append("<h2 style=\"font-size:16px\">Near their spend cap</h2><p>The last figures the services reported:</p><ul>");
            foreach (var spend in nearCap)
            {
                html.Append("<li><strong style=\"color:#b45309\">").Append(spend.Percent >= 100 ? "Over its cap" : "Near its cap").Append("</strong> — ")
                    .Append(WebUtility.HtmlEncode(SpendLine(spend))).Append(" · <a href=\"")
                    .Append(WebUtility.HtmlEncode($"{root}/vault/keys/{spend.KeyId}")).Append("\">See it</a></li>");
            }

            html.Append("</ul>");
        }

        if (checkpointCode is not null)
        {
            html.Append("<p>Activity log checkpoint: <code>").Append(WebUtility.HtmlEncode(checkpointCode)).Append("</code><br>")
                .Append(WebUtility.HtmlEncode(CheckpointHelp)).Append(" <a href=\"").Append(WebUtility.HtmlEncode(root + "/activity")).Append("\">Activity</a></p>");
        }

        html.Append("<p style=\"color:#6b7280;font-size:13px\">You get this email because a key in your CreatorKeys vault is due for replacement. It never contains a key's value.</p>");
        html.Append("</body></html>");

        return new Content(subject, text.ToString(), html.ToString());
    }

    /// <summary>"3 API keys need rotating — 1 overdue: PROD OpenAI", or "… due soon — first: …".</summary>
    public static string Subject(IReadOnlyList<DigestKey> keys, DateOnly today)
    {
        var count = keys.Count;
        var overdue = keys.Where(k => RotationSchedule.DaysLeft(k.DueOn, today) < 0).ToList();
        var dueToday = keys.Where(k => RotationSchedule.DaysLeft(k.DueOn, today) == 0).ToList();
        var noun = count == 1 ? "1 API key" : $"{count} API keys";
        if (overdue.Count > 0)
        {
            return $"{noun} {(count == 1 ? "needs" : "need")} rotating — {overdue.Count} overdue: {Names(overdue)}";
        }

        if (dueToday.Count > 0)
        {
            return $"{noun} {(count == 1 ? "needs" : "need")} rotating — {dueToday.Count} due today: {Names(dueToday)}";
        }

        var first = keys.OrderBy(k => k.DueOn).First();
        return $"{noun} due for rotation soon — first: {Name(first)} on {CreatorKeys.Core.Text.Wording.Day(first.DueOn)}";
    }

    private static string Names(IReadOnlyList<DigestKey> keys)
    {
        var prodFirst = keys.OrderBy(k => k.Environment == VaultEnvironment.Prod ? 0 : 1).ThenBy(k => k.DueOn).ToList();
        var shown = string.Join(", ", prodFirst.Take(2).Select(Name));
        return prodFirst.Count > 2 ? $"{shown} and {prodFirst.Count - 2} more" : shown;
    }

    private static string Name(DigestKey key) => $"{key.Environment.Code()} {key.ProviderName}";

    private static string Urgency(DigestKey key, DateOnly today)
    {
        var days = RotationSchedule.DaysLeft(key.DueOn, today);
        return days switch
        {
            < 0 => $"Overdue by {-days} day{(days == -1 ? "" : "s")}",
            0 => "Due today",
            _ => $"Due in {days} day{(days == 1 ? "" : "s")}",
        };
    }

    /// <summary>"PROD OpenRouter — "PROD — OpenRouter — main": Spent $18 of $20 this month (as of 7 Dec 2026, 14:05 UTC), against …"</summary>
    private static string SpendLine(SpendStanding spend) =>
        $"{spend.Environment.Code()} {spend.ProviderName} — \"{spend.Label}\": {spend.Sentence(CreatorKeys.Core.Text.Wording.MomentUtc(spend.ReadAt))}";

    private static string Link(string root, DigestKey key) => $"{root}/vault/keys/{key.KeyId}?replace=true";
}
