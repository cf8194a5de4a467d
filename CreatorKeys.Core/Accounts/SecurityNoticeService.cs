using System.Globalization;
using System.Net;
using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Accounts;

/// <summary>A change to how the vault can be opened or emptied, worth an email to the account.</summary>
public enum SecurityNotice
{
    PasswordChanged,
    PasswordResetWithRecoveryCode,
    EmergencyKitReplaced,
    TwoFactorEnabled,
    TwoFactorDisabled,
    TwoFactorRecoveryCodesReplaced,
    BackupDownloaded,
    SignInFromNewAddress,
    VaultKeyReplaced,
}

/// <summary>
/// Emails the account (through the outbox, so a missing mail server leaves an .eml file in the data folder)
/// after each security change: what happened, when, from which address and browser, and what to do if it
/// was not them. The text is made only from those facts: it never holds a password, code or key value.
/// </summary>
public sealed class SecurityNoticeService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    OutboxService outbox,
    IOptions<EmailOptions> emailOptions,
    TimeProvider time)
{
    /// <summary>Queues the email for <paramref name="notice"/>; does nothing for an account without an email address.</summary>
    public async Task NotifyAsync(string accountId, SecurityNotice notice, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = await db.Users.Where(u => u.Id == accountId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(email))
        {
            return;
        }

        var (subject, what, ifNotYou) = Describe(notice);
        var text = Compose(subject, what, ifNotYou, time.GetUtcNow(), origin, emailOptions.Value.BaseAddress);
        outbox.Stage(db, accountId, OutboxMessageKind.SecurityNotice, email, subject, text.Text, text.Html);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// After a sign-in has been recorded in the activity log: emails the account when no earlier sign-in or
    /// sign-up came from this network address. The first sign-in of an account has nothing to compare with.
    /// </summary>
    public async Task NoteSignInAsync(string accountId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(origin.IpAddress))
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var signIns = db.Activity.AsNoTracking()
            .Where(e => e.AccountId == accountId && (e.Action == ActivityAction.SignedIn || e.Action == ActivityAction.SignedUp));
        // The sign-in being noted is already in the log; anything else from this address means it is known.
        var fromHere = await signIns.CountAsync(e => e.IpAddress == origin.IpAddress, cancellationToken);
        var any = await signIns.CountAsync(cancellationToken);
        if (fromHere <= 1 && any > fromHere)
        {
            await NotifyAsync(accountId, SecurityNotice.SignInFromNewAddress, origin, cancellationToken);
        }
    }

    private static (string Subject, string What, string IfNotYou) Describe(SecurityNotice notice) => notice switch
    {
        SecurityNotice.PasswordChanged => ("Your CreatorKeys password was changed", "The password of your CreatorKeys vault was changed.",
            "If you did not do this, someone can sign in as you: use “Forgot your password?” with your emergency kit to set a new password now, then look at Activity in CreatorKeys."),
        SecurityNotice.PasswordResetWithRecoveryCode => ("Your CreatorKeys password was reset with your recovery code", "Your emergency kit's recovery code was used to set a new password, and a new recovery code replaced it.",
            "If you did not do this, someone has your emergency kit: sign in, make a new emergency kit and change your password at once."),
        SecurityNotice.EmergencyKitReplaced => ("A new CreatorKeys emergency kit was made", "A new recovery code (emergency kit) was made for your vault. The previous code no longer works.",
            "If you did not do this, someone used your signed-in vault: sign in, change your password and make a new emergency kit yourself."),
        SecurityNotice.TwoFactorEnabled => ("Two-step sign-in was turned on for CreatorKeys", "Two-step sign-in was turned on: signing in now also asks for a code from an authenticator app.",
            "If you did not do this, someone else's phone may now be needed to sign in to your vault: sign in, turn it off and set it up again with your own phone, and change your password."),
        SecurityNotice.TwoFactorDisabled => ("Two-step sign-in was turned off for CreatorKeys", "Two-step sign-in was turned off: your password alone opens your vault again.",
            "If you did not do this, sign in, change your password and turn two-step sign-in on again."),
        SecurityNotice.TwoFactorRecoveryCodesReplaced => ("New CreatorKeys two-step recovery codes were made", "New two-step recovery codes were made; the old ones no longer work.",
            "If you did not do this, sign in, change your password, and turn two-step sign-in off and on again."),
        SecurityNotice.BackupDownloaded => ("A backup of your CreatorKeys vault was downloaded", "A full backup of your vault (every key, encrypted with the backup passphrase chosen then) was downloaded.",
            "If you did not do this, treat every key in the vault as leaked: change your password, then replace (rotate) your keys, PROD first."),
        SecurityNotice.SignInFromNewAddress => ("New sign-in to CreatorKeys from an address not seen before", "Your vault was signed in to from a network address it had not been signed in to from before.",
            "If this was you (a new place, network or phone), there is nothing to do. If not, change your password now and turn on two-step sign-in."),
        SecurityNotice.VaultKeyReplaced => ("Your CreatorKeys vault key was replaced", "Your vault key was replaced: every key value is now locked with a new vault key, your password opens it (a new one, if you chose one), a new emergency kit was made and the previous recovery code no longer works. Every other signed-in browser was signed out.",
            "If you did not do this, someone used your signed-in vault: use “Forgot your password?” with your newest emergency kit, or sign in, then change your password and look at Activity in CreatorKeys."),
        _ => throw new ArgumentOutOfRangeException(nameof(notice)),
    };

    private static (string Text, string Html) Compose(string subject, string what, string ifNotYou, DateTimeOffset at, RequestOrigin origin, string baseAddress)
    {
        var when = CreatorKeys.Core.Text.Wording.MomentUtc(at);
        var address = string.IsNullOrEmpty(origin.IpAddress) ? "unknown" : origin.IpAddress;
        var browser = string.IsNullOrEmpty(origin.UserAgent) ? "unknown" : origin.UserAgent;
        var activity = $"{baseAddress.TrimEnd('/')}/activity";
        const string Footer = "CreatorKeys sends this email after every change to how your vault can be opened or copied. It never contains a password, code or key.";

        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{what}\n\n")
            .Append(CultureInfo.InvariantCulture, $"When: {when}\nFrom network address: {address}\nBrowser: {browser}\n\n")
            .Append(CultureInfo.InvariantCulture, $"{ifNotYou}\n\nSee everything that happened: {activity}\n\n{Footer}\n");

        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(subject))
            .Append("</title></head><body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937\">")
            .Append("<h1 style=\"font-size:20px\">").Append(E(subject)).Append("</h1>")
            .Append("<p>").Append(E(what)).Append("</p>")
            .Append("<p>When: ").Append(E(when)).Append("<br>From network address: ").Append(E(address)).Append("<br>Browser: ").Append(E(browser)).Append("</p>")
            .Append("<p><strong>").Append(E(ifNotYou)).Append("</strong></p>")
            .Append("<p><a href=\"").Append(E(activity)).Append("\">See everything that happened</a></p>")
            .Append("<p style=\"color:#6b7280;font-size:13px\">").Append(E(Footer)).Append("</p></body></html>");
        return (text.ToString(), html.ToString());
    }
}
