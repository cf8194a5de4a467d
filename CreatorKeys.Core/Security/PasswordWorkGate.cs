using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core.Security;

/// <summary>
/// A limit on how many password derivations (PBKDF2 at 600,000 rounds: about 0.3 s of a core
/// each) run at once, for the whole install. A burst of sign-ins from many addresses (which the
/// per-address rate limit does not stop) waits briefly in a small queue; past the queue, or
/// after <see cref="MaxWait"/>, it gets "busy, try again" instead of starving the server.
/// Every path that stretches a password or passphrase goes through it: sign-in, sign-up,
/// recovery, password change, backups, and every Identity password check (through
/// <see cref="GatedPasswordHasher"/>). Nested use inside one operation takes no second slot.
/// </summary>
public sealed class PasswordWorkGate : IDisposable
{
    /// <summary>The longest a derivation waits for a slot.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(15);

    public const string BusyMessage =
        "CreatorKeys is busy checking many passwords at once right now. Wait a few seconds, then try again. Nothing was changed.";

    // True while the current operation (async flow) holds a slot, so nested derivations do not queue behind themselves.
    private static readonly AsyncLocal<PasswordWorkGate?> Holder = new();

    private readonly SemaphoreSlim _slots;
    private readonly int _queueLimit;
    private readonly TimeProvider _time;
    private int _waiting;

    public PasswordWorkGate(IOptions<RateLimitOptions> options, TimeProvider time)
    {
        _slots = new SemaphoreSlim(options.Value.PasswordChecksAtOnce, options.Value.PasswordChecksAtOnce);
        _queueLimit = options.Value.PasswordChecksWaiting;
        _time = time;
    }

    /// <summary>Derivations waiting for a slot now (for tests and diagnostics).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Runs <paramref name="work"/> in a slot. Throws <see cref="ServerBusyException"/> when none came free in time.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken = default)
    {
        if (Holder.Value == this)
        {
            return await work();
        }

        if (!await TryAcquireAsync(cancellationToken))
        {
            throw new ServerBusyException();
        }

        try
        {
            Holder.Value = this;
            return await work();
        }
        finally
        {
            Holder.Value = null;
            _slots.Release();
        }
    }

    /// <inheritdoc cref="RunAsync{T}(Func{Task{T}}, CancellationToken)"/>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default) =>
        RunAsync(() => Task.FromResult(work()), cancellationToken);

    /// <summary>
    /// Runs synchronous work in a slot, blocking while it waits (for synchronous callers such as
    /// Identity's password hasher). Throws <see cref="ServerBusyException"/> when none came free in time.
    /// </summary>
    public T Run<T>(Func<T> work)
    {
        if (Holder.Value == this)
        {
            return work();
        }

        if (!_slots.Wait(0))
        {
            if (!Queue())
            {
                throw new ServerBusyException();
            }

            try
            {
                using var timeout = new CancellationTokenSource(MaxWait, _time);
                _slots.Wait(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new ServerBusyException();
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        try
        {
            Holder.Value = this;
            return work();
        }
        finally
        {
            Holder.Value = null;
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();

    private async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (await _slots.WaitAsync(0, cancellationToken))
        {
            return true;
        }

        if (!Queue())
        {
            return false;
        }

        try
        {
            using var timeout = new CancellationTokenSource(MaxWait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            await _slots.WaitAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    /// <summary>Takes a place in the queue; false when it is full.</summary>
    private bool Queue()
    {
        if (Interlocked.Increment(ref _waiting) <= _queueLimit)
        {
            return true;
        }

        Interlocked.Decrement(ref _waiting);
        return false;
    }
}

/// <summary>Refused because too many passwords are being checked at once; the message is for the person.</summary>
public sealed class ServerBusyException() : Exception(PasswordWorkGate.BusyMessage);

/// <summary>Identity's password hasher, each hash and check taking a slot of the <see cref="PasswordWorkGate"/>.</summary>
public sealed class GatedPasswordHasher<TUser>(IOptions<PasswordHasherOptions> options, PasswordWorkGate gate) : IPasswordHasher<TUser>
    where TUser : class
{
    private readonly PasswordHasher<TUser> _inner = new(options);

    public string HashPassword(TUser user, string password) => gate.Run(() => _inner.HashPassword(user, password));

    public PasswordVerificationResult VerifyHashedPassword(TUser user, string hashedPassword, string providedPassword) =>
        gate.Run(() => _inner.VerifyHashedPassword(user, hashedPassword, providedPassword));
}
