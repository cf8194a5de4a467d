namespace CreatorKeys.Core.Vault;

/// <summary>
/// One signed-in browser session's unlocked vault, held in server memory only. It is
/// found by the random id carried in the (encrypted) auth cookie and is dropped on sign-out,
/// after <see cref="VaultOptions.AutoLockMinutes"/> idle, and when the app stops.
/// </summary>
public sealed class VaultSession
{
    private readonly TimeProvider _time;
    private UnlockedVault _vault;
    private readonly Lock _gate = new();
    private DateTimeOffset _lastActivity;
    private VaultLockReason? _lockReason;
    private string? _pendingRecoveryCode;
    private DateTimeOffset? _confirmedUntil;

    internal VaultSession(string id, UnlockedVault vault, TimeProvider time)
    {
        Id = id;
        _vault = vault;
        AccountId = vault.AccountId;
        _time = time;
        _lastActivity = time.GetUtcNow();
        OpenedAt = _lastActivity;
    }

    public string Id { get; }

    public string AccountId { get; }

    /// <summary>When the creator signed in; the session ends <see cref="VaultOptions.MaxSessionHours"/> later however active.</summary>
    public DateTimeOffset OpenedAt { get; }

    public DateTimeOffset LastActivity
    {
        get
        {
            lock (_gate)
            {
                return _lastActivity;
            }
        }
    }

    public VaultLockReason? LockReason
    {
        get
        {
            lock (_gate)
            {
                return _lockReason;
            }
        }
    }

    public bool IsLocked => LockReason is not null;

    /// <summary>
    /// True until the creator confirms saving the emergency kit for the current recovery
    /// code; the app sends them to the kit page until then.
    /// </summary>
    public bool EmergencyKitPending { get; internal set; }

    /// <summary>
    /// A freshly issued recovery code waiting to be shown in the emergency kit. Like the
    /// vault key it lives only in memory, and only until the kit is confirmed.
    /// </summary>
    public string? PendingRecoveryCode
    {
        get
        {
            lock (_gate)
            {
                return _pendingRecoveryCode;
            }
        }

        internal set
        {
            lock (_gate)
            {
                _pendingRecoveryCode = value;
            }
        }
    }

    /// <summary>
    /// How long "confirm it's you" lasts: after the password (or an authenticator code) is typed
    /// again, the actions that mint access or pour out values are allowed this long without asking.
    /// </summary>
    public static readonly TimeSpan ConfirmationWindow = TimeSpan.FromMinutes(10);

    /// <summary>When the current "confirm it's you" window closes; null when there is none. In memory only, like the vault.</summary>
    public DateTimeOffset? ConfirmedUntil
    {
        get
        {
            lock (_gate)
            {
                return _confirmedUntil is { } until && until > _time.GetUtcNow() ? until : null;
            }
        }
    }

    /// <summary>Whether the creator confirmed it's them (password or authenticator code) in the last 10 minutes.</summary>
    public bool IsConfirmed => ConfirmedUntil is not null;

    /// <summary>
    /// The guard of every sensitive action: throws <see cref="ConfirmationRequiredException"/> unless the
    /// creator confirmed it's them within <see cref="ConfirmationWindow"/>, or <see cref="VaultLockedException"/> once locked.
    /// </summary>
    public void RequireConfirmation()
    {
        Touch();
        if (!IsConfirmed)
        {
            throw new ConfirmationRequiredException();
        }
    }

    /// <summary>Opens the window for <see cref="ConfirmationWindow"/> from now; only a checked password or code may call this.</summary>
    internal void MarkConfirmed()
    {
        lock (_gate)
        {
            if (_lockReason is not null)
            {
                throw new VaultLockedException();
            }

            _lastActivity = _time.GetUtcNow();
            _confirmedUntil = _lastActivity + ConfirmationWindow;
        }
    }

    /// <summary>The unlocked vault; counts as activity. Throws <see cref="VaultLockedException"/> once locked.</summary>
    public UnlockedVault Vault
    {
        get
        {
            lock (_gate)
            {
                if (_lockReason is not null)
                {
                    throw new VaultLockedException();
                }

                _lastActivity = _time.GetUtcNow();
                return _vault;
            }
        }
    }

    /// <summary>The unlocked vault, for a check the creator did not ask for (it does not keep the session awake).</summary>
    internal UnlockedVault VaultWithoutActivity
    {
        get
        {
            lock (_gate)
            {
                return _vault;
            }
        }
    }

    /// <summary>
    /// After the vault key was replaced (docs/decisions/014-replacing-the-vault-key.md): the session goes on with
    /// <paramref name="newVault"/> and the old key is wiped from memory. Throws <see cref="VaultLockedException"/>
    /// (and wipes <paramref name="newVault"/>) when the session was locked in the meantime.
    /// </summary>
    internal void ReplaceVault(UnlockedVault newVault)
    {
        if (newVault.AccountId != AccountId)
        {
            throw new ArgumentException("The new vault key belongs to another account.", nameof(newVault));
        }

        UnlockedVault old;
        lock (_gate)
        {
            if (_lockReason is not null)
            {
                newVault.Dispose();
                throw new VaultLockedException();
            }

            old = _vault;
            _vault = newVault;
        }

        old.Dispose();
    }

    /// <summary>Records activity so the idle timer starts again. Throws once locked.</summary>
    public void Touch()
    {
        lock (_gate)
        {
            if (_lockReason is not null)
            {
                throw new VaultLockedException();
            }

            _lastActivity = _time.GetUtcNow();
        }
    }

    /// <summary>Wipes the key material. Returns false if the session was already locked.</summary>
    internal bool Lock(VaultLockReason reason) => LockWhen(reason, _ => true);

    /// <summary>
    /// Locks the session if its last activity is at or before <paramref name="cutoff"/>; the check and
    /// the lock are one step, so activity recorded in between cannot be lost.
    /// </summary>
    internal bool LockIfIdleSince(DateTimeOffset cutoff) => LockWhen(VaultLockReason.Idle, lastActivity => lastActivity <= cutoff);

    /// <summary>Locks the session if it was opened at or before <paramref name="cutoff"/> (its maximum lifetime is over).</summary>
    internal bool LockIfOpenedBefore(DateTimeOffset cutoff) => OpenedAt <= cutoff && LockWhen(VaultLockReason.Expired, _ => true);

    private bool LockWhen(VaultLockReason reason, Func<DateTimeOffset, bool> condition)
    {
        UnlockedVault vault;
        lock (_gate)
        {
            if (_lockReason is not null || !condition(_lastActivity))
            {
                return false;
            }

            _lockReason = reason;
            _pendingRecoveryCode = null;
            _confirmedUntil = null;
            vault = _vault;
        }

        vault.Dispose();
        return true;
    }
}

/// <summary>Why a vault session ended; shown to the creator in plain words on the sign-in page.</summary>
public enum VaultLockReason
{
    SignedOut,
    Idle,
    PasswordChanged,
    Restarted,

    /// <summary>The session reached its maximum lifetime (<see cref="VaultOptions.MaxSessionHours"/>).</summary>
    Expired,

    /// <summary>The creator chose "Sign out everywhere" in this or another browser.</summary>
    SignedOutEverywhere,

    /// <summary>The creator replaced the vault key in another browser: this session held the old one.</summary>
    VaultKeyReplaced,
}
