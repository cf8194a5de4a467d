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
    /// <see cref="MailSettingsInput.ClearPassword"/> is set. Bad input changes nothing.
    /// </summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes (the mail server sees every security email).</exception>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(VaultSession session, MailSettingsInput input, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        if (!await admin.IsAdminAsync(session.AccountId, cancellationToken))
        {
            return new Dictionary<string, string> { [nameof(MailSettingsInput.Host)] = NotAdmin };
        }

        var errors = input.Validate();
        if (errors.Count > 0)
        {
            return errors;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.MailSettings.SingleOrDefaultAsync(cancellationToken);
        if (record is null)
        {
            record = new MailSettingsRecord();
            db.MailSettings.Add(record);
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
        else if (record.ProtectedPassword.Length == 0 && options.Value.Smtp.Password.Length > 0
                 && string.Equals(options.Value.Smtp.Host.Trim(), record.Host, StringComparison.OrdinalIgnoreCase))
        {
            // The form showed the appsettings.json server; saving it without retyping keeps its password.
            record.ProtectedPassword = protector.Protect(options.Value.Smtp.Password);
        }

        record.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return new Dictionary<string, string>();
    }

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

        var from = FromAddress.Trim();
        if (from.Length > 0 && (from.Length > 320 || !MailboxAddress.TryParse(from, out var parsed) || !parsed.Address.Contains('@')))
        {
            errors[nameof(FromAddress)] = "Type an email address, like creatorkeys@example.com or \"CreatorKeys <creatorkeys@example.com>\".";
        }

        return errors;
    }
}
