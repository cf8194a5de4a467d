using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Vault;

/// <summary>When a change to a key needs PROD typed: only when it can break something live.</summary>
public sealed class ProtectedChangesTests
{
    [Fact]
    public void Edit_FirstCapOnAProdKeyNothingUses_GoesThrough() =>
        Assert.False(ProtectedChanges.NeedsTyping(Key(VaultEnvironment.Prod, null), KeyChange.Edit(150m, usedByWorkflow: false)));

    [Fact]
    public void Edit_RaisedProdCap_GoesThrough() =>
        Assert.False(ProtectedChanges.NeedsTyping(Key(VaultEnvironment.Prod, 100m), KeyChange.Edit(150m, usedByWorkflow: false)));

    [Fact]
    public void Edit_RaisedCapOfAProdKeyAWorkflowUses_GoesThrough() =>
        Assert.False(ProtectedChanges.NeedsTyping(Key(VaultEnvironment.Prod, 100m), KeyChange.Edit(150m, usedByWorkflow: true)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Edit_CapUnchanged_RenameOrTick_GoesThrough(bool usedByWorkflow) =>
        Assert.False(ProtectedChanges.NeedsTyping(Key(VaultEnvironment.Prod, 100m), KeyChange.Edit(100m, usedByWorkflow)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Edit_LoweredProdCap_NeedsPROD(bool usedByWorkflow)
    {
        var key = Key(VaultEnvironment.Prod, 100m);

        Assert.True(ProtectedChanges.NeedsTyping(key, KeyChange.Edit(99.99m, usedByWorkflow)));
        Assert.Equal("PROD", ProtectedChanges.WordToType(key, KeyChange.Edit(99.99m, usedByWorkflow)));
    }

    [Fact]
    public void Edit_RemovedProdCap_NeedsPROD() =>
        Assert.True(ProtectedChanges.NeedsTyping(Key(VaultEnvironment.Prod, 100m), KeyChange.Edit(null, usedByWorkflow: false)));

    [Fact]
    public void Edit_FirstCapOnAProdKeyAWorkflowUses_NeedsPROD()
    {
        var reason = ProtectedChanges.Reason(Key(VaultEnvironment.Prod, null), KeyChange.Edit(150m, usedByWorkflow: true));

        Assert.Contains("A workflow uses it", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RetireOrDelete_ProdKey_NeedsPROD()
    {
        var key = Key(VaultEnvironment.Prod, null);

        Assert.Equal("PROD", ProtectedChanges.WordToType(key, KeyChange.Retire));
        Assert.Equal("PROD", ProtectedChanges.WordToType(key, KeyChange.Delete));
    }

    [Theory]
    [InlineData(VaultEnvironment.Dev)]
    [InlineData(VaultEnvironment.Staging)]
    public void AnyChange_TestKey_GoesThrough(VaultEnvironment environment)
    {
        var key = Key(environment, 20m);

        Assert.Null(ProtectedChanges.WordToType(key, KeyChange.Retire));
        Assert.Null(ProtectedChanges.WordToType(key, KeyChange.Delete));
        Assert.Null(ProtectedChanges.WordToType(key, KeyChange.Edit(null, usedByWorkflow: true)));
        Assert.Null(ProtectedChanges.WordToType(key, KeyChange.Edit(5m, usedByWorkflow: true)));
    }

    private static KeySummary Key(VaultEnvironment environment, decimal? cap) =>
        new(Guid.NewGuid(), "openai", "OpenAI", environment, $"{environment.Code()} — OpenAI — main", "sk-…a1B2", cap, false,
            KeyStatus.Current, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
