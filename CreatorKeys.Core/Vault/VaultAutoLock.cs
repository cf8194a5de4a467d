using CreatorKeys.Core.Audit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// Checks every 15 seconds for vaults left idle past the auto-lock time, locks them
/// (wiping their keys from memory) and records the lock in the activity log.
/// </summary>
internal sealed class VaultAutoLock(
    VaultSessionStore sessions,
    ActivityService activity,
    TimeProvider time,
    ILogger<VaultAutoLock> logger) : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        sessions.SessionLocked += OnSessionLocked;
        try
        {
            using var timer = new PeriodicTimer(CheckEvery, time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                sessions.LockIdleSessions();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            sessions.SessionLocked -= OnSessionLocked;
        }
    }

    private void OnSessionLocked(object? sender, VaultSessionLockedEventArgs e)
    {
        if (e.Reason != VaultLockReason.Idle)
        {
            return;
        }

        _ = RecordAsync(e.AccountId);
    }

    private async Task RecordAsync(string accountId)
    {
        try
        {
            await activity.RecordAsync(accountId, ActivityAction.VaultLocked, RequestOrigin.System, targetName: "Locked after inactivity");
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not record an automatic vault lock in the activity log.");
        }
    }
}
