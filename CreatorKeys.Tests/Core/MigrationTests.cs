using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace CreatorKeys.Tests.Core;

/// <summary>Upgrading a database made by an older release keeps every key readable.</summary>
public sealed class MigrationTests
{
    [Fact]
    public async Task Upgrade_FromTheFirstRelease_KeepsKeysAndGivesThemSensibleNewColumns()
    {
        using var folder = new TempFolder();
        var options = new DbContextOptionsBuilder<CreatorKeysDbContext>().UseSqlite(new DataFolder(folder.Path).ConnectionString).Options;
        await using (var db = new CreatorKeysDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261127202636_InitialCreate");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO AspNetUsers (Id, CreatedAt, VaultPasswordSalt, VaultPasswordIterations, VaultPasswordWrappedKey, VaultRecoverySalt, VaultRecoveryIterations, VaultRecoveryWrappedKey, VaultRecoveryCodeIssuedAt, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) " +
                "VALUES ('a1', 0, x'00', 600000, x'00', x'00', 600000, x'00', 0, 0, 0, 0, 1, 0);");
            await db.Database.ExecuteSqlRawAsync(
                "INSERT INTO ApiKeys (Id, AccountId, ProviderName, Environment, Label, Hint, Fingerprint, Ciphertext, CreatedAt) " +
                "VALUES ('6f9619ff-8b86-d011-b42d-00c04fc964ff', 'a1', 'OpenAI', 'Prod', 'old key', 'sk-…abcd', x'01', x'02', {0});",
                new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToBinaryUtc());
        }

        await using (var db = new CreatorKeysDbContext(options))
        {
            await db.Database.MigrateAsync();
            var key = await db.ApiKeys.SingleAsync();

            Assert.Equal(KeyStatus.Current, key.Status);
            Assert.Equal(key.CreatedAt, key.UpdatedAt);
            Assert.Equal(key.CreatedAt, key.IssuedAt);
            Assert.Null(key.MonthlyCapUsd);
            Assert.Null(key.ProviderId);
        }

        // This test's pool only: clearing every pool would close other running tests' connections (and their WAL files).
        using var pooled = new SqliteConnection(new DataFolder(folder.Path).ConnectionString);
        SqliteConnection.ClearPool(pooled);
    }
}

internal static class DateTimeOffsetBinary
{
    /// <summary>How EF Core's DateTimeOffsetToBinaryConverter stores a UTC time.</summary>
    public static long ToBinaryUtc(this DateTimeOffset value) =>
        (long)new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(value)!;
}
