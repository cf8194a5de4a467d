using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class KeyCheckRecordConfiguration : IEntityTypeConfiguration<KeyCheckRecord>
{
    public void Configure(EntityTypeBuilder<KeyCheckRecord> builder)
    {
        builder.ToTable("KeyChecks");
        builder.HasKey(c => c.KeyId);
        // A deleted key takes its last check with it.
        builder.HasOne<ApiKey>().WithOne().HasForeignKey<KeyCheckRecord>(c => c.KeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.AccountId);
        builder.Property(c => c.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Message).HasMaxLength(KeyCheckRecord.MaxMessageLength);
    }
}
