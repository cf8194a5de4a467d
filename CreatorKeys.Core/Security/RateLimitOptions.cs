using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Security;

/// <summary>How often the doors that matter may be used. Section <c>CreatorKeys:RateLimits</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "CreatorKeys:RateLimits";

    /// <summary>Sign-in, two-step, recovery and sign-up form posts a minute from one network address.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>Keys one account may reveal or copy a minute.</summary>
    [Range(1, 10_000)]
    public int RevealsPerMinute { get; set; } = 30;

    /// <summary>Keys one account may check with their providers a minute ("Check all my keys" included).</summary>
    [Range(1, 10_000)]
    public int KeyChecksPerMinute { get; set; } = 60;

    /// <summary>Downloads (inventory reports, activity log, encrypted backups) one account may make a minute.</summary>
    [Range(1, 10_000)]
    public int ExportsPerMinute { get; set; } = 10;

    /// <summary>Requests a minute one access token may make to the API (<c>/api/v1</c>).</summary>
    [Range(1, 100_000)]
    public int ApiRequestsPerMinute { get; set; } = 120;

    /// <summary>Password derivations (sign-in, sign-up, recovery, password change, backup passphrases) that run at once across the install.</summary>
    [Range(1, 64)]
    public int PasswordChecksAtOnce { get; set; } = 2;

    /// <summary>Derivations that may wait for a free slot (at most 15 seconds); more are told the server is busy.</summary>
    [Range(0, 1000)]
    public int PasswordChecksWaiting { get; set; } = 20;
}
