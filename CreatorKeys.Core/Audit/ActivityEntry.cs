using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Audit;

/// <summary>One line of the activity log: who did what, to which key, from where.</summary>
public sealed class ActivityEntry
{
    public const int MaxTargetNameLength = 200;
    public const int MaxUserAgentLength = 400;
    public const int MaxIpAddressLength = 64;

    public long Id { get; set; }

    public string AccountId { get; set; } = "";

    public DateTimeOffset At { get; set; }

    public ActivityAction Action { get; set; }

    /// <summary>The id of the thing acted on (a key id), if any.</summary>
    public string? TargetId { get; set; }

    /// <summary>A readable name for the target at the time (a key's label); never a secret.</summary>
    public string? TargetName { get; set; }

    public VaultEnvironment? Environment { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>1, 2, 3 … within the account: a gap means an entry was removed.</summary>
    public long Sequence { get; set; }

    /// <summary>The previous entry's <see cref="Hash"/> (64 hex digits; zeros for the first).</summary>
    public string PreviousHash { get; set; } = "";

    /// <summary>
    /// The seal over this entry's content and <see cref="PreviousHash"/>, as hex: HMAC-SHA256 under the
    /// server's seal key (<see cref="SealVersion"/> 1), or plain SHA-256 for entries from before the key (0).
    /// </summary>
    public string Hash { get; set; } = "";

    /// <summary>How <see cref="Hash"/> was made: 0 = unkeyed SHA-256 (older logs), 1 = HMAC-SHA256 with the server key.</summary>
    public int SealVersion { get; set; }
}
