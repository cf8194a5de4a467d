using CreatorKeys.Core.Vault;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>A session ends after its maximum lifetime however active it is, besides the idle lock.</summary>
public sealed class VaultSessionLifetimeTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly VaultOptions _options = new() { AutoLockMinutes = 15, MaxSessionHours = 12 };

    [Fact]
    public void Find_ActiveSessionPastMaxLifetime_LocksItAsExpired()
    {
        using var store = NewStore();
        var session = store.Open(NewVault(), emergencyKitPending: false);

        // Active every ten minutes, so the idle lock never applies.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(10); elapsed += TimeSpan.FromMinutes(10))
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.Same(session, store.Find(session.Id));
            session.Touch();
        }

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(store.Find(session.Id));
        Assert.True(session.IsLocked);
        Assert.Equal(VaultLockReason.Expired, store.WhyClosed(session.Id));
    }

    [Fact]
    public void LockIdleSessions_SessionsPastMaxLifetime_AreLockedAndWiped()
    {
        using var store = NewStore();
        var old = store.Open(NewVault("old"), emergencyKitPending: false);
        _time.Advance(TimeSpan.FromHours(6));
        var newer = store.Open(NewVault("newer"), emergencyKitPending: false);
        var oldVault = old.Vault;
        _time.Advance(TimeSpan.FromHours(6) - TimeSpan.FromMinutes(1));
        old.Touch();
        newer.Touch();

        Assert.Equal(0, store.LockIdleSessions());
        _time.Advance(TimeSpan.FromMinutes(1));
        old.Touch();
        newer.Touch();
        var locked = store.LockIdleSessions();

        Assert.Equal(1, locked);
        Assert.True(old.IsLocked);
        Assert.True(oldVault.IsLocked);
        Assert.False(newer.IsLocked);
        Assert.Equal(VaultLockReason.Expired, store.WhyClosed(old.Id));
    }

    [Fact]
    public void MaxSessionHours_IsTheSetting()
    {
        _options.MaxSessionHours = 1;
        _options.AutoLockMinutes = 1440;
        using var store = NewStore();
        var session = store.Open(NewVault(), emergencyKitPending: false);

        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.NotNull(store.Find(session.Id));
        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(store.Find(session.Id));
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
