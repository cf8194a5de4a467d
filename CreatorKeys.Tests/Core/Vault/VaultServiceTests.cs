using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Vault;

public class VaultServiceTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="VaultServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private CoreHost _host = default!;

    public async Task InitializeAsync() =>
        _host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(VaultEnvironment.Dev)]
    [InlineData(VaultEnvironment.Staging)]
    [InlineData(VaultEnvironment.Prod)]
    public async Task AddKey_ThenReveal_RoundTripsThroughTheDatabase(VaultEnvironment environment)
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var value = TestAccounts.NewKeyValue();

        var key = await _host.AddKeyAsync(session, value, environment);

        Assert.Equal(value, await _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task AddKey_StoresOnlyCiphertextFingerprintAndHint()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var value = TestAccounts.NewKeyValue();

        var key = await _host.AddKeyAsync(session, value);

        var row = await ReadRowAsync(key.Id);
        Assert.Equal($"sk-…{value[^4..]}", row.Hint);
        Assert.Equal(32, row.Fingerprint.Length);
        Assert.DoesNotContain(value, System.Text.Encoding.UTF8.GetString(row.Ciphertext), StringComparison.Ordinal);
        Assert.Equal(1 + 12 + 16 + value.Length, row.Ciphertext.Length);
    }

    [Fact]
    public async Task AddKey_SameValueInAnotherEnvironment_RefusedAndNothingStored()
    {
        var (_, session, _) = await _host.SignUpAsync();
        var value = TestAccounts.NewKeyValue();
        await _host.AddKeyAsync(session, value, VaultEnvironment.Prod, label: "PROD — OpenAI — main");

        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI", $" {value} "), TestAccounts.Origin);

        Assert.False(result.Succeeded);
        var message = result.Errors[nameof(NewKeyInput.Value)];
        Assert.Contains("PROD — OpenAI — main", message, StringComparison.Ordinal);
        Assert.DoesNotContain(value, message, StringComparison.Ordinal);
        Assert.Single(await _host.Vault.ListKeysAsync(session.AccountId));
    }

    [Fact]
    public async Task AddKey_SameValueInAnotherAccount_IsAllowed()
    {
        var (_, sessionA, _) = await _host.SignUpAsync(TestAccounts.Email);
        var (_, sessionB, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        var value = TestAccounts.NewKeyValue();

        await _host.AddKeyAsync(sessionA, value);
        await _host.AddKeyAsync(sessionB, value);

        Assert.Single(await _host.Vault.ListKeysAsync(sessionA.AccountId));
        Assert.Single(await _host.Vault.ListKeysAsync(sessionB.AccountId));
    }

    [Fact]
    public async Task AddKey_BadInput_ReturnsErrorsAndStoresNothing()
    {
        var (_, session, _) = await _host.SignUpAsync();

        var result = await _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, "", new string('x', 5000)), TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Contains(nameof(NewKeyInput.Label), result.Errors.Keys);
        Assert.Contains(nameof(NewKeyInput.Value), result.Errors.Keys);
        Assert.Empty(await _host.Vault.ListKeysAsync(session.AccountId));
        Assert.DoesNotContain(await ActivityAsync(session.AccountId), e => e.Action == ActivityAction.KeyAdded);
    }

    [Fact]
    public async Task Reveal_CiphertextWithFlippedBit_ThrowsClearErrorAndLeavesRowAlone()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        var original = (await ReadRowAsync(key.Id)).Ciphertext;
        var tampered = (byte[])original.Clone();
        tampered[^1] ^= 0x80;
        await UpdateRowAsync(key.Id, row => row.Ciphertext = tampered);

        var error = await Assert.ThrowsAsync<VaultCryptoException>(() => _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));

        Assert.Contains("could not be decrypted", error.Message, StringComparison.Ordinal);
        Assert.Equal(tampered, (await ReadRowAsync(key.Id)).Ciphertext);
        Assert.DoesNotContain(await ActivityAsync(session.AccountId), e => e.Action == ActivityAction.KeyRevealed);
    }

    [Fact]
    public async Task Reveal_CiphertextCopiedIntoAnotherRow_Fails()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var source = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var target = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod);
        var sourceCiphertext = (await ReadRowAsync(source.Id)).Ciphertext;
        await UpdateRowAsync(target.Id, row => row.Ciphertext = sourceCiphertext);

        await Assert.ThrowsAsync<VaultCryptoException>(() => _host.Vault.RevealAsync(session, target.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task Reveal_RowMovedToAnotherEnvironment_Fails()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        await UpdateRowAsync(key.Id, row => row.Environment = VaultEnvironment.Prod);

        await Assert.ThrowsAsync<VaultCryptoException>(() => _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task RevealAndCopy_AreRecordedWithWhoWhenWhichKeyEnvironmentAndAddress()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging, label: "STAGING — OpenAI");
        var origin = new RequestOrigin("203.0.113.7", "Mozilla/5.0 test");

        await _host.Vault.RevealAsync(session, key.Id, origin);
        await _host.Vault.CopyAsync(session, key.Id, origin);

        var entries = await ActivityAsync(account.Id);
        foreach (var action in new[] { ActivityAction.KeyRevealed, ActivityAction.KeyCopied })
        {
            var entry = Assert.Single(entries, e => e.Action == action);
            Assert.Equal(account.Id, entry.AccountId);
            Assert.Equal(key.Id.ToString(), entry.TargetId);
            Assert.Equal("STAGING — OpenAI", entry.TargetName);
            Assert.Equal(VaultEnvironment.Staging, entry.Environment);
            Assert.Equal("203.0.113.7", entry.IpAddress);
            Assert.Equal("Mozilla/5.0 test", entry.UserAgent);
            Assert.Equal(_host.Time.GetUtcNow(), entry.At);
        }
    }

    [Fact]
    public async Task OtherAccount_CannotListRevealCopyOrDeleteKeysEvenById()
    {
        var (_, owner, _) = await _host.SignUpAsync(TestAccounts.Email);
        await _host.Services.ConfirmItsYouAsync(owner);
        var (_, intruder, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);
        await _host.Services.ConfirmItsYouAsync(intruder);
        var value = TestAccounts.NewKeyValue();
        var key = await _host.AddKeyAsync(owner, value);

        Assert.Empty(await _host.Vault.ListKeysAsync(intruder.AccountId));
        Assert.Null(await _host.Vault.RevealAsync(intruder, key.Id, TestAccounts.Origin));
        Assert.Null(await _host.Vault.CopyAsync(intruder, key.Id, TestAccounts.Origin));
        Assert.False(await _host.Vault.DeleteAsync(intruder.AccountId, key.Id, TestAccounts.Origin));

        Assert.Equal(value, await _host.Vault.RevealAsync(owner, key.Id, TestAccounts.Origin));
        Assert.DoesNotContain(await ActivityAsync(intruder.AccountId), e => e.TargetId == key.Id.ToString());
    }

    [Fact]
    public async Task Delete_RemovesKeyAndRecordsIt()
    {
        var (account, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());

        Assert.True(await _host.Vault.DeleteAsync(account.Id, key.Id, TestAccounts.Origin));

        Assert.Empty(await _host.Vault.ListKeysAsync(account.Id));
        Assert.Null(await _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
        Assert.Contains(await ActivityAsync(account.Id), e => e.Action == ActivityAction.KeyDeleted && e.TargetId == key.Id.ToString());
    }

    [Fact]
    public async Task ListKeys_OrdersByEnvironmentThenProviderThenLabel()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "OpenAI", "b");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "Runway", "c");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "Anthropic", "a");
        await _host.AddKeyAsync(session, TestAccounts.NewKeyValue(), VaultEnvironment.Staging, "OpenAI", "d");

        var keys = await _host.Vault.ListKeysAsync(session.AccountId);

        Assert.Equal(["c", "d", "a", "b"], keys.Select(k => k.Label).ToArray());
    }

    [Fact]
    public async Task Operations_AfterSessionLocked_ThrowVaultLocked()
    {
        var (_, session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(session);
        var key = await _host.AddKeyAsync(session, TestAccounts.NewKeyValue());

        _host.Sessions.Lock(session.Id, VaultLockReason.SignedOut);

        await Assert.ThrowsAsync<VaultLockedException>(() => _host.Vault.RevealAsync(session, key.Id, TestAccounts.Origin));
        await Assert.ThrowsAsync<VaultLockedException>(() => _host.Vault.AddKeyAsync(session, new NewKeyInput("OpenAI", VaultEnvironment.Dev, "x", "sk-new"), TestAccounts.Origin));
    }

    private async Task<ApiKey> ReadRowAsync(Guid id)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.ApiKeys.AsNoTracking().SingleAsync(k => k.Id == id);
    }

    private async Task UpdateRowAsync(Guid id, Action<ApiKey> change)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var row = await db.ApiKeys.SingleAsync(k => k.Id == id);
        change(row);
        await db.SaveChangesAsync();
    }

    private async Task<IReadOnlyList<ActivityEntry>> ActivityAsync(string accountId) =>
        await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(accountId, 100);
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class VaultServiceTestsOnPostgreSql : VaultServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
