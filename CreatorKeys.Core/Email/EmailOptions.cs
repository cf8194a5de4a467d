using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Email;

/// <summary>How the app sends email. Section <c>CreatorKeys:Email</c>.</summary>
public sealed class EmailOptions
{
    public const string Section = "CreatorKeys:Email";

    /// <summary>The sender shown on every message.</summary>
    [Required]
    public string From { get; set; } = "CreatorKeys <creatorkeys@localhost>";

    /// <summary>The address creators open the app at; links in emails start with it.</summary>
    [Required]
    [Url]
    public string BaseAddress { get; set; } = "http://127.0.0.1:5080";

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>The SMTP server. With no host, messages are written as .eml files to the data folder's outbox.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string UserName { get; set; } = "";

    public string Password { get; set; } = "";
}

public enum SmtpSecurity
{
    /// <summary>Connect in the clear, then upgrade with STARTTLS (required); usually port 587.</summary>
    StartTls,

    /// <summary>TLS from the first byte; usually port 465.</summary>
    Tls,

    /// <summary>No encryption: only for a mail server on the same machine or network.</summary>
    None,
}

/// <summary>The SMTP settings in force, whichever place they came from. Holds the password: never log it.</summary>
public sealed record MailSettings(string Host, int Port, SmtpSecurity Security, string UserName, string Password, string From, MailSettingsSource Source)
{
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Host);

    public bool HasPassword => Password.Length > 0;

    /// <summary>The settings without the password, for a page or a log.</summary>
    public override string ToString() => UsesSmtp ? $"SMTP {Host}:{Port} ({Security})" : "files in the outbox folder";
}

public enum MailSettingsSource
{
    /// <summary>No SMTP anywhere: messages become .eml files.</summary>
    None,
    AppSettings,
    SettingsPage,
}
