using System.Globalization;

namespace CreatorKeys.Web.Components.Pages.Accounts;

/// <summary>The text of the downloadable emergency kit.</summary>
public static class EmergencyKitText
{
    public const string FileName = "CreatorKeys-emergency-kit.txt";

    public static string Compose(string email, string recoveryCode, string appAddress, DateTimeOffset createdAt) =>
        string.Join('\n',
            "CREATORKEYS EMERGENCY KIT",
            "=========================",
            "",
            $"Account:        {email}",
            $"Created:        {createdAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
            $"CreatorKeys at: {appAddress}",
            "",
            $"RECOVERY CODE:  {recoveryCode}",
            "",
            "What it is for",
            "--------------",
            "Your API keys are encrypted with your password. If you forget the password, this",
            "code is the only other way to unlock them. Nobody else can reset it for you.",
            "",
            "How to use it",
            "-------------",
            $"1. Open {appAddress}account/recover",
            "2. Type your email, this recovery code and a new password.",
            "3. You get a new emergency kit: each recovery code works only once.",
            "",
            "Keep it safe",
            "------------",
            "Print it and keep it in a drawer, or store it in a password manager.",
            "Do not email it to yourself and do not keep it only on this computer.",
            "");
}
