using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).HasMaxLength(64).ValueGeneratedNever();
        builder.Property(t => t.AccountId).IsRequired();
        builder.Property(t => t.Environment).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Name).HasMaxLength(AccessToken.MaxNameLength).IsRequired();
        builder.Property(t => t.SecretHash).IsRequired();
        builder.Property(t => t.SealedEnvironmentKey).IsRequired();
        builder.Property(t => t.LastUsedFrom).HasMaxLength(64);
        builder.HasOne<Account>().WithMany().HasForeignKey(t => t.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.AccountId);
    }
}

public sealed class EnvironmentSettingConfiguration : IEntityTypeConfiguration<Vault.EnvironmentSetting>
{
    public void Configure(EntityTypeBuilder<Vault.EnvironmentSetting> builder)
    {
        builder.HasKey(s => new { s.AccountId, s.Environment });
        builder.Property(s => s.Environment).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Mode).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
