using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.Property(k => k.AccountId).IsRequired();
        builder.Property(k => k.ProviderId).HasMaxLength(64);
        builder.Property(k => k.ProviderName).HasMaxLength(ApiKey.MaxProviderNameLength).IsRequired();
        builder.Property(k => k.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.MonthlyCapUsd).HasPrecision(12, 2);
        builder.Property(k => k.Environment).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.Label).HasMaxLength(ApiKey.MaxLabelLength).IsRequired();
        builder.Property(k => k.Hint).HasMaxLength(ApiKey.MaxHintLength).IsRequired();
        builder.Property(k => k.ExportName).HasMaxLength(ApiKey.MaxExportNameLength);
        builder.Property(k => k.ProviderKeyId).HasMaxLength(ApiKey.MaxProviderKeyIdLength);
        builder.Property(k => k.ProviderProjectId).HasMaxLength(ApiKey.MaxProviderKeyIdLength);
        builder.Property(k => k.Fingerprint).IsRequired();
        builder.Property(k => k.Ciphertext).IsRequired();

        builder.HasOne<Account>().WithMany().HasForeignKey(k => k.AccountId).OnDelete(DeleteBehavior.Cascade);

        // One value may be stored only once per vault: the same key in two places is the #1 mistake.
        builder.HasIndex(k => new { k.AccountId, k.Fingerprint }).IsUnique();
        // The vault page's folder counts read only this index (covering): account, folder, in use or retired.
        builder.HasIndex(k => new { k.AccountId, k.Environment, k.Status });
        builder.HasIndex(k => new { k.AccountId, k.SlotId });
        // The daily reminder check: every key in use due within the next 30 days, across all accounts.
        builder.HasIndex(k => k.DueOn);
        // Not declarable here: the vault page's order, IX_ApiKeys_VaultListOrder (migration VaultListOrderIndex), with
        // NOCASE columns, which EF Core cannot express for SQLite. A table rebuild must create it again. The same for the
        // rotation page's "keys by when they are due" order, IX_ApiKeys_DueOrder and IX_ApiKeys_DueOrder_Environment
        // (migration RotationDueIndex).
    }
}
