namespace CreatorKeys.Core.Email;

/// <summary>
/// SMTP settings saved on the settings page; when present they win over appsettings.json.
/// One row per install. The password is stored only encrypted with DataProtection.
/// </summary>
public sealed class MailSettingsRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public SmtpSecurity Security { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>The SMTP password protected by <see cref="CreatorKeys.Core.Security.ServerSecretProtector"/>; empty for none.</summary>
    public string ProtectedPassword { get; set; } = "";

    public string FromAddress { get; set; } = "";

    public DateTimeOffset UpdatedAt { get; set; }
}
