using CreatorKeys.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        // The wrapped vault keys live in the account row itself, so creating an account or
        // changing its password writes hash and wraps in one statement.
        builder.OwnsOne(a => a.Vault, vault =>
        {
            vault.Property(v => v.PasswordSalt).HasColumnName("VaultPasswordSalt").IsRequired();
            vault.Property(v => v.PasswordIterations).HasColumnName("VaultPasswordIterations");
            vault.Property(v => v.PasswordWrappedKey).HasColumnName("VaultPasswordWrappedKey").IsRequired();
            vault.Property(v => v.RecoverySalt).HasColumnName("VaultRecoverySalt").IsRequired();
            vault.Property(v => v.RecoveryIterations).HasColumnName("VaultRecoveryIterations");
            vault.Property(v => v.RecoveryWrappedKey).HasColumnName("VaultRecoveryWrappedKey").IsRequired();
            vault.Property(v => v.RecoveryCodeIssuedAt).HasColumnName("VaultRecoveryCodeIssuedAt");
            vault.Property(v => v.EmergencyKitSavedAt).HasColumnName("VaultEmergencyKitSavedAt");
        });
        builder.Navigation(a => a.Vault).IsRequired();
        builder.Property(a => a.MonthlyBudgetUsd).HasPrecision(12, 2);
    }
}
