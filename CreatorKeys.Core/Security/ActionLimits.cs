using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Security;

/// <summary>What a signed-in creator does that is worth slowing down when done in bulk.</summary>
public enum LimitedAction
{
    /// <summary>Revealing or copying a key value.</summary>
    Reveal,

    /// <summary>Downloading a report, the activity log or a backup.</summary>
    Export,

    /// <summary>Asking a provider whether a stored key works (the value is decrypted to send it).</summary>
    KeyCheck,
}

/// <summary>
/// Per-account limits on revealing and exporting, with the sliding-window limiters ASP.NET
/// Core's rate limiter is built on (System.Threading.RateLimiting). These actions run inside
/// the interactive session as well as over HTTP, where the middleware cannot see them, so the
/// services check here. Someone at an unlocked screen (or a script in it) cannot pour out the
/// whole vault in seconds; a creator working normally never meets the limit.
/// </summary>
public sealed class ActionLimits(IOptions<RateLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<(LimitedAction Action, string AccountId)> _limiter =
        PartitionedRateLimiter.Create<(LimitedAction Action, string AccountId), (LimitedAction, string)>(key =>
            RateLimitPartition.GetSlidingWindowLimiter(key, k => new SlidingWindowRateLimiterOptions
            {
                PermitLimit = k.Item1 switch
                {
                    LimitedAction.Reveal => options.Value.RevealsPerMinute,
                    LimitedAction.KeyCheck => options.Value.KeyChecksPerMinute,
                    _ => options.Value.ExportsPerMinute,
                },
                Window = TimeSpan.FromMinutes(1),
                SegmentsPerWindow = 6,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));

    /// <summary>Takes one permit for the action, or throws <see cref="RateLimitedException"/> with a plain message.</summary>
    public void Enforce(LimitedAction action, string accountId)
    {
        if (!TryTake(action, accountId))
        {
            throw new RateLimitedException(action);
        }
    }

    /// <summary>Takes one permit for the action; false when the account used them all in the last minute.</summary>
    public bool TryTake(LimitedAction action, string accountId)
    {
        using var lease = _limiter.AttemptAcquire((action, accountId));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>An action refused because it was done too often in the last minute; the message is for the creator.</summary>
public sealed class RateLimitedException(LimitedAction action) : Exception(MessageFor(action))
{
    public LimitedAction Action { get; } = action;

    /// <summary>How long to wait before the next try is likely to be allowed.</summary>
    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(10);

    public static string MessageFor(LimitedAction action) => action switch
    {
        LimitedAction.Reveal => "You revealed or copied many keys in the last minute. To keep your vault safe, CreatorKeys pauses this for a moment: wait a minute, then try again.",
        LimitedAction.KeyCheck => "You checked many keys with their providers in the last minute. CreatorKeys pauses checks for a moment so the providers do not block you: wait a minute, then try again.",
        _ => "You downloaded many reports or backups in the last minute. To keep your vault safe, CreatorKeys pauses downloads for a moment: wait a minute, then try again.",
    };
}
