using CreatorKeys.Core.Vault;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Core.Vault;

public sealed class VaultSessionStoreTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly VaultOptions _options = new() { AutoLockMinutes = 15 };

    [Fact]
    public void Find_OpenSession_ReturnsItWithWorkingVault()
    {
        using var store = NewStore();
        var session = store.Open(NewVault(), emergencyKitPending: false);

        var found = store.Find(session.Id);

        Assert.Same(session, found);
        Assert.False(found!.Vault.IsLocked);
    }

    [Fact]
    public void Find_UnknownOrEmptyId_ReturnsNull()
    {
        using var store = NewStore();

        Assert.Null(store.Find("no-such-session"));
        Assert.Null(store.Find(null));
        Assert.Equal(VaultLockReason.Restarted, store.WhyClosed("no-such-session"));
    }

    [Fact]
    public void Open_GivesUnguessableDistinctIds()
    {
        using var store = NewStore();

        var ids = Enumerable.Range(0, 100).Select(_ => store.Open(NewVault(), false).Id).ToHashSet();

        Assert.Equal(100, ids.Count);
        Assert.All(ids, id => Assert.True(id.Length >= 43));
    }

    [Fact]
    public void Lock_SignedOut_WipesVaultAndRemembersReason()
    {
        using var store = NewStore();
        var session = store.Open(NewVault(), false);
        var locked = new List<VaultSessionLockedEventArgs>();
        store.SessionLocked += (_, e) => locked.Add(e);

        store.Lock(session.Id, VaultLockReason.SignedOut);

        Assert.Null(store.Find(session.Id));
        Assert.True(session.IsLocked);
        Assert.Throws<VaultLockedException>(() => session.Vault);
        Assert.Equal(VaultLockReason.SignedOut, store.WhyClosed(session.Id));
        Assert.Equal(session.Id, Assert.Single(locked).SessionId);
    }

    [Fact]
    public void Find_AfterIdleTimeout_LocksWithIdleReason()
    {
        using var store = NewStore();
        var session = store.Open(NewVault(), false);

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        Assert.Null(store.Find(session.Id));
        Assert.True(session.IsLocked);
        Assert.Equal(VaultLockReason.Idle, store.WhyClosed(session.Id));
    }

    [Fact]
    public void Touch_BeforeTimeout_KeepsSessionOpen()
    {
        using var store = NewStore();
        var session = store.Open(NewVault(), false);

        _time.Advance(TimeSpan.FromMinutes(14));
        session.Touch();
        _time.Advance(TimeSpan.FromMinutes(14));

        Assert.Same(session, store.Find(session.Id));
    }

    [Fact]
    public void LockIdleSessions_LocksOnlyIdleOnes()
    {
        using var store = NewStore();
        var idle = store.Open(NewVault(), false);
        _time.Advance(TimeSpan.FromMinutes(10));
        var active = store.Open(NewVault(), false);
        _time.Advance(TimeSpan.FromMinutes(6));

        var count = store.LockIdleSessions();

        Assert.Equal(1, count);
        Assert.True(idle.IsLocked);
        Assert.False(active.IsLocked);
    }

    [Fact]
    public void LockAccount_LocksOtherSessionsOfThatAccountOnly()
    {
        using var store = NewStore();
        var keep = store.Open(NewVault("a"), false);
        var other = store.Open(NewVault("a"), false);
        var someoneElse = store.Open(NewVault("b"), false);

        store.LockAccount("a", VaultLockReason.PasswordChanged, exceptSessionId: keep.Id);

        Assert.False(keep.IsLocked);
        Assert.True(other.IsLocked);
        Assert.False(someoneElse.IsLocked);
        Assert.Equal(VaultLockReason.PasswordChanged, store.WhyClosed(other.Id));
    }

    [Fact]
    public void Dispose_LocksEverything()
    {
        var store = NewStore();
        var session = store.Open(NewVault(), false, "CODE");

        store.Dispose();

        Assert.True(session.IsLocked);
        Assert.Null(session.PendingRecoveryCode);
    }

    private VaultSessionStore NewStore() => new(_time, new StaticOptions(_options));

    private static UnlockedVault NewVault(string accountId = "account") => new(accountId, VaultCrypto.NewKey());

    private sealed class StaticOptions(VaultOptions value) : IOptionsMonitor<VaultOptions>
    {
        public VaultOptions CurrentValue => value;

        public VaultOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<VaultOptions, string?> listener) => null;
    }
}
