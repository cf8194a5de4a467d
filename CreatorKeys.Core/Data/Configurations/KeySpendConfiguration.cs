using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class KeySpendConfiguration : IEntityTypeConfiguration<KeySpend>
{
    public void Configure(EntityTypeBuilder<KeySpend> builder)
    {
        builder.ToTable("KeySpends");
        builder.HasKey(s => s.KeyId);
        // A deleted key takes its figures with it.
        builder.HasOne<ApiKey>().WithOne().HasForeignKey<KeySpend>(s => s.KeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.AccountId);
        builder.Property(s => s.Unit).HasConversion<string>().HasMaxLength(12);
        builder.Property(s => s.LimitPeriod).HasConversion<string>().HasMaxLength(8);
        // Characters run to millions; dollars need cents and OpenRouter reports fractions of a cent.
        builder.Property(s => s.UsedThisMonth).HasPrecision(18, 4);
        builder.Property(s => s.ProviderLimit).HasPrecision(18, 4);
        builder.Property(s => s.UsedAgainstLimit).HasPrecision(18, 4);
    }
}
