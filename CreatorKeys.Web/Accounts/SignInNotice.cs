using CreatorKeys.Core.Vault;

namespace CreatorKeys.Web.Accounts;

/// <summary>
/// Why the creator lands on the sign-in page, carried in a short-lived cookie or the
/// <c>reason</c> query value, and the plain words the page shows for it.
/// </summary>
public static class SignInNotice
{
    public const string CookieName = "CreatorKeys.SignInNotice";

    private static readonly CookieBuilder Cookie = new()
    {
        SameSite = SameSiteMode.Strict,
        HttpOnly = true,
        IsEssential = true,
        MaxAge = TimeSpan.FromMinutes(1),
    };

    /// <summary>
    /// A sign-in cookie this app instance can read, for a vault it does not hold unlocked, with several instances on one
    /// PostgreSQL: the instance it was opened on restarted or went away, or the browser reached another one (the
    /// unlocked vault lives in one instance's memory, decision 003; docs/decisions/020-several-instances.md).
    /// </summary>
    public const string OtherInstanceCode = "other-server";

    public static void Set(HttpContext context, VaultLockReason reason) => Set(context, Code(reason));

    public static void Set(HttpContext context, string code) =>
        context.Response.Cookies.Append(CookieName, code, Cookie.Build(context));

    public static void Clear(HttpContext context) => context.Response.Cookies.Delete(CookieName);

    public static string Code(VaultLockReason reason) => reason switch
    {
        VaultLockReason.SignedOut => "signed-out",
        VaultLockReason.Idle => "idle",
        VaultLockReason.PasswordChanged => "password-changed",
        VaultLockReason.Expired => "expired",
        VaultLockReason.SignedOutEverywhere => "signed-out-everywhere",
        VaultLockReason.VaultKeyReplaced => "vault-key-replaced",
        _ => "restarted",
    };

    public static string? Message(string? code, int autoLockMinutes, int maxSessionHours = 12) => code switch
    {
        "signed-out" => "You signed out and your vault is locked.",
        "idle" => $"Your vault locked itself after {CreatorKeys.Core.Text.Wording.Count(autoLockMinutes, "minute")} without activity, to keep your keys safe. Sign in to unlock it.",
        "password-changed" => "Your password was changed from another window, so this session was locked. Sign in with the new password.",
        "expired" => $"You were signed in for {CreatorKeys.Core.Text.Wording.Count(maxSessionHours, "hour")}, the longest a session lasts here, so your vault locked itself. Sign in again to unlock it.",
        "signed-out-everywhere" => "You signed out everywhere: every browser and device that was signed in to this account is locked now. Sign in again to unlock your vault here. "
            + "If you think someone else had your password or a copy of your data folder, also replace your vault key once you are in (Settings, “Replace my vault key”).",
        "vault-key-replaced" => "Your vault key was replaced from another browser, so this session was locked. Sign in again with your password (the new one, if you chose one).",
        "restarted" => "CreatorKeys restarted, which locks every vault. Sign in again to unlock yours.",
        OtherInstanceCode => "Your vault stays unlocked only on the CreatorKeys server where you signed in, and that server restarted or "
            + "you were moved to another one (this happens when a server is updated or goes down). Your keys are safe. Sign in again to unlock your vault here.",
        _ => null,
    };
}
