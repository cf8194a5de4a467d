using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// All unlocked vaults of this process, by session id. Nothing here is ever written to disk,
/// so a restart locks every vault.
/// </summary>
public sealed class VaultSessionStore(TimeProvider time, IOptionsMonitor<VaultOptions> options) : IDisposable
{
    /// <summary>How long the reason for a lock is remembered, to explain it on the sign-in page.</summary>
    private static readonly TimeSpan ReasonMemory = TimeSpan.FromHours(12);

    private readonly ConcurrentDictionary<string, VaultSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (VaultLockReason Reason, DateTimeOffset At)> _recentLocks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (UnlockedVault Vault, DateTimeOffset Until)> _held = new(StringComparer.Ordinal);

    /// <summary>How long a vault unlocked by the password waits for the second sign-in step.</summary>
    public static readonly TimeSpan SecondStepWindow = TimeSpan.FromMinutes(5);

    /// <summary>Raised after a session is locked, whatever the reason (on the thread that locked it).</summary>
    public event EventHandler<VaultSessionLockedEventArgs>? SessionLocked;

    public int OpenCount => _sessions.Count;

    /// <summary>A snapshot of the open sessions, for tests and diagnostics.</summary>
    internal IReadOnlyList<VaultSession> OpenSessionsForTests() => _sessions.Values.ToList();

    /// <summary>Keeps an unlocked vault for a new signed-in session and returns it.</summary>
    public VaultSession Open(UnlockedVault vault, bool emergencyKitPending, string? pendingRecoveryCode = null)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var session = new VaultSession(id, vault, time)
        {
            EmergencyKitPending = emergencyKitPending,
            PendingRecoveryCode = pendingRecoveryCode,
        };
        _sessions[id] = session;
        return session;
    }

    /// <summary>
    /// Holds a vault unlocked by the password while the creator types the second sign-in step
    /// (authenticator code). It is no session: nothing can use it until <see cref="TakeHeld"/>
    /// hands it over, and it is wiped after <see cref="SecondStepWindow"/>. Returns its id.
    /// </summary>
    public string Hold(UnlockedVault vault)
    {
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        _held[id] = (vault, time.GetUtcNow() + SecondStepWindow);
        return id;
    }

    /// <summary>The held vault of this account with this id (removed from the store), or null when it expired or is not there.</summary>
    public UnlockedVault? TakeHeld(string? heldId, string accountId)
    {
        if (string.IsNullOrEmpty(heldId) || !_held.TryRemove(heldId, out var held))
        {
            return null;
        }

        if (held.Until > time.GetUtcNow() && held.Vault.AccountId == accountId)
        {
            return held.Vault;
        }

        held.Vault.Dispose();
        return null;
    }

    /// <summary>
    /// The held vault of this account with this id, left in the store (the second step needs it
    /// to open the sealed authenticator key before it is handed over), or null when it expired or is not there.
    /// </summary>
    public UnlockedVault? PeekHeld(string? heldId, string accountId) =>
        !string.IsNullOrEmpty(heldId) && _held.TryGetValue(heldId, out var held)
            && held.Until > time.GetUtcNow() && held.Vault.AccountId == accountId && !held.Vault.IsLocked
            ? held.Vault
            : null;

    /// <summary>Wipes a held vault (wrong codes until lockout, or the creator gave up).</summary>
    public void DropHeld(string? heldId)
    {
        if (!string.IsNullOrEmpty(heldId) && _held.TryRemove(heldId, out var held))
        {
            held.Vault.Dispose();
        }
    }

    /// <summary>Wipes every held vault of an account (sign-ins waiting for their second step hold its vault key).</summary>
    public void DropHeldOf(string accountId)
    {
        foreach (var (id, held) in _held)
        {
            if (held.Vault.AccountId == accountId)
            {
                DropHeld(id);
            }
        }
    }

    public int HeldCount => _held.Count;

    /// <summary>
    /// The open session with this id, or null when there is none (signed out, restarted) or
    /// it has been idle too long, in which case it is locked now.
    /// </summary>
    public VaultSession? Find(string? sessionId)
    {
        if (string.IsNullOrEmpty(sessionId) || !_sessions.TryGetValue(sessionId, out var session))
        {
            return null;
        }

        if (session.LockIfIdleSince(IdleCutoff()))
        {
            Forget(session, VaultLockReason.Idle);
            return null;
        }

        if (session.LockIfOpenedBefore(LifetimeCutoff()))
        {
            Forget(session, VaultLockReason.Expired);
            return null;
        }

        return session.IsLocked ? null : session;
    }

    /// <summary>
    /// The unlocked vault of any open session of this account (they all hold the same vault
    /// key), without counting as activity; null when none is open. For checks that need the
    /// account's fingerprint key, such as keeping key values out of notes.
    /// </summary>
    public UnlockedVault? FindVaultOf(string accountId) =>
        _sessions.Values.FirstOrDefault(s => s.AccountId == accountId && !s.IsLocked)?.VaultWithoutActivity;

    /// <summary>Why the session with this id is no longer open: a recent lock, or else a restart.</summary>
    public VaultLockReason WhyClosed(string sessionId) =>
        _recentLocks.TryGetValue(sessionId, out var entry) ? entry.Reason : VaultLockReason.Restarted;

    public void Lock(string sessionId, VaultLockReason reason)
    {
        if (_sessions.TryGetValue(sessionId, out var session) && session.Lock(reason))
        {
            Forget(session, reason);
        }
    }

    /// <summary>Locks every session of an account, optionally keeping the one that asked.</summary>
    public void LockAccount(string accountId, VaultLockReason reason, string? exceptSessionId = null)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.AccountId == accountId && session.Id != exceptSessionId)
            {
                Lock(session.Id, reason);
            }
        }
    }

    /// <summary>Locks every session idle for longer than the auto-lock setting or older than the maximum lifetime. Returns how many.</summary>
    public int LockIdleSessions()
    {
        var cutoff = IdleCutoff();
        var lifetimeCutoff = LifetimeCutoff();
        var locked = 0;
        foreach (var session in _sessions.Values)
        {
            if (session.LockIfIdleSince(cutoff))
            {
                Forget(session, VaultLockReason.Idle);
                locked++;
            }
            else if (session.LockIfOpenedBefore(lifetimeCutoff))
            {
                Forget(session, VaultLockReason.Expired);
                locked++;
            }
        }

        var now = time.GetUtcNow();
        foreach (var (id, held) in _held)
        {
            if (held.Until <= now)
            {
                DropHeld(id);
            }
        }

        var forgetBefore = now - ReasonMemory;
        foreach (var (id, entry) in _recentLocks)
        {
            if (entry.At < forgetBefore)
            {
                _recentLocks.TryRemove(id, out _);
            }
        }

        return locked;
    }

    public void Dispose()
    {
        foreach (var id in _sessions.Keys)
        {
            Lock(id, VaultLockReason.Restarted);
        }

        foreach (var id in _held.Keys)
        {
            DropHeld(id);
        }
    }

    /// <summary>Removes a session that has just been locked, remembers why, and tells the listeners.</summary>
    private void Forget(VaultSession session, VaultLockReason reason)
    {
        _sessions.TryRemove(session.Id, out _);
        _recentLocks[session.Id] = (reason, time.GetUtcNow());
        SessionLocked?.Invoke(this, new VaultSessionLockedEventArgs(session.Id, session.AccountId, reason));
    }

    private DateTimeOffset LifetimeCutoff() => time.GetUtcNow() - options.CurrentValue.MaxSessionLifetime;

    private DateTimeOffset IdleCutoff() => time.GetUtcNow() - options.CurrentValue.AutoLockAfter;
}

public sealed class VaultSessionLockedEventArgs(string sessionId, string accountId, VaultLockReason reason) : EventArgs
{
    public string SessionId { get; } = sessionId;

    public string AccountId { get; } = accountId;

    public VaultLockReason Reason { get; } = reason;
}
