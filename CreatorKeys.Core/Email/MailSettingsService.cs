using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace CreatorKeys.Core.Email;

/// <summary>
/// The SMTP settings in force: those saved on the settings page when there are any, else
/// those in appsettings.json, else none (messages become .eml files in the outbox folder).
/// </summary>
public sealed class MailSettingsService(
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    IOptions<EmailOptions> options,
    ServerSecretProtector protector,
    Accounts.InstallAdmin admin,
    TimeProvider time)
{
    public async Task<MailSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var saved = await db.MailSettings.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var configured = options.Value;
        if (saved is not null)
        {
            var password = saved.ProtectedPassword.Length == 0 ? "" : protector.TryUnprotect(saved.ProtectedPassword) ?? "";
            var from = string.IsNullOrWhiteSpace(saved.FromAddress) ? configured.From : saved.FromAddress;
            return new MailSettings(saved.Host, saved.Port, saved.Security, saved.UserName, password, from, MailSettingsSource.SettingsPage);
        }

        var smtp = configured.Smtp;
        return new MailSettings(
            smtp.Host.Trim(), smtp.Port, smtp.Security, smtp.UserName, smtp.Password, configured.From,
            string.IsNullOrWhiteSpace(smtp.Host) ? MailSettingsSource.None : MailSettingsSource.AppSettings);
    }

    /// <summary>
    /// Saves settings from the settings page. A blank password keeps the saved one unless
    /// <see cref="MailSettingsInput.ClearPassword"/> is set, or the server, port, security or
    /// user name changed: a password is only ever sent to the server it was typed for. Bad input changes nothing.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes (the mail server sees every security email).</exception>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(VaultSession session, MailSettingsInput input, CancellationToken cancellationToken = default) =>
        (await SaveWithOutcomeAsync(session, input, cancellationToken)).Errors;

    /// <summary><see cref="SaveAsync"/>, also telling whether the saved password was forgotten because the server changed.</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<MailSaveOutcome> SaveWithOutcomeAsync(VaultSession session, MailSettingsInput input, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        if (!await admin.IsAdminAsync(session.AccountId, cancellationToken))
        {
            return new MailSaveOutcome(new Dictionary<string, string> { [nameof(MailSettingsInput.Host)] = NotAdmin }, false);
        }

        var errors = input.Validate();
        if (errors.Count > 0)
        {
            return new MailSaveOutcome(errors, false);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.MailSettings.SingleOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            record = new MailSettingsRecord();
            db.MailSettings.Add(record);
        }

        // The saved password belongs to the server it was typed for. Pointing the settings elsewhere
        // without typing it again would hand it to whoever runs the new server.
        var forgotten = false;
        var configured = options.Value.Smtp;
        if (record.ProtectedPassword.Length > 0 && !SameServer(record.Host, record.Port, record.Security, record.UserName, input)
            && string.IsNullOrEmpty(input.Password) && !input.ClearPassword)
        {
            record.ProtectedPassword = "";
            forgotten = true;
        }

        record.Host = input.Host.Trim();
        record.Port = input.Port;
        record.Security = input.Security;
        record.UserName = input.UserName.Trim();
        record.FromAddress = input.FromAddress.Trim();
        if (input.ClearPassword)
        {
            record.ProtectedPassword = "";
        }
        else if (!string.IsNullOrEmpty(input.Password))
        {
            record.ProtectedPassword = protector.Protect(input.Password);
        }
        else if (!forgotten && record.ProtectedPassword.Length == 0 && configured.Password.Length > 0
                 && SameServer(configured.Host, configured.Port, configured.Security, configured.UserName, input))
        {
            // The form showed the appsettings.json server; saving it unchanged without retyping keeps its password.
            record.ProtectedPassword = protector.Protect(configured.Password);
        }

        record.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new MailSaveOutcome(new Dictionary<string, string>(), forgotten);
    }

    /// <summary>Whether the form still points at the server (and account on it) a password was saved for.</summary>
    private static bool SameServer(string host, int port, SmtpSecurity security, string userName, MailSettingsInput input) =>
        string.Equals(host.Trim(), input.Host.Trim(), StringComparison.OrdinalIgnoreCase)
        && port == input.Port
        && security == input.Security
        && string.Equals(userName.Trim(), input.UserName.Trim(), StringComparison.Ordinal);

    /// <summary>Said on the settings page after a save that dropped the password.</summary>
    public const string PasswordForgottenMessage =
        "Email settings saved. The saved password was forgotten because the server, port, security or user name changed: type the password again if this server needs one.";

    /// <summary>Forgets the settings saved on the page: appsettings.json applies again.</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    public async Task<bool> ResetAsync(VaultSession session, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        if (!await admin.IsAdminAsync(session.AccountId, cancellationToken))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.MailSettings.ExecuteDeleteAsync(cancellationToken);
        return true;
    }

    public const string NotAdmin = "Only the person who set up this install (its first account) can change the mail server.";

    /// <summary>Whether a password is saved on the settings page (never the password itself).</summary>
    public async Task<bool> HasSavedPasswordAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MailSettings.AnyAsync(m => m.ProtectedPassword != "", cancellationToken);
    }
}

/// <summary>What saving the mail form did: field errors (nothing saved), or saved and whether the old password was dropped.</summary>
public sealed record MailSaveOutcome(IReadOnlyDictionary<string, string> Errors, bool PasswordForgotten)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>What the settings page's mail form sends.</summary>
public sealed class MailSettingsInput
{
    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string UserName { get; set; } = "";

    /// <summary>Blank keeps the saved password.</summary>
    public string Password { get; set; } = "";

    public bool ClearPassword { get; set; }

    public string FromAddress { get; set; } = "";

    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        var host = Host.Trim();
        if (host.Length == 0)
        {
            errors[nameof(Host)] = "Type the mail server's address, for example smtp.gmail.com.";
        }
        else if (host.Length > 253 || host.Any(c => char.IsWhiteSpace(c) || c is '/' or ':' or '@'))
        {
            errors[nameof(Host)] = "Type only the server's name, like smtp.example.com — no \"https://\", port or @.";
        }

        if (Port is < 1 or > 65535)
        {
            errors[nameof(Port)] = "The port is a number from 1 to 65535 — usually 587 (STARTTLS) or 465 (TLS).";
        }

        if (UserName.Trim().Length > 320)
        {
            errors[nameof(UserName)] = "That user name is too long.";
        }

        if (Password.Length > 1000)
        {
            errors[nameof(Password)] = "That password is too long.";
        }

        if (Security == SmtpSecurity.None && UserName.Trim().Length > 0 && host.Length > 0 && !MailSecurity.IsLoopback(host))
        {
            errors[nameof(Security)] = MailSecurity.PlainTextRefusal(host);
        }

        var from = FromAddress.Trim();
        if (from.Length > 0 && (from.Length > 320 || !MailboxAddress.TryParse(from, out var parsed) || !parsed.Address.Contains('@')))
        {
            errors[nameof(FromAddress)] = "Type an email address, like creatorkeys@example.com or \"CreatorKeys <creatorkeys@example.com>\".";
        }

        return errors;
    }
}
