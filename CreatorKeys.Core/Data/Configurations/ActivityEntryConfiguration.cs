using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class ActivityEntryConfiguration : IEntityTypeConfiguration<ActivityEntry>
{
    public void Configure(EntityTypeBuilder<ActivityEntry> builder)
    {
        builder.HasKey(e => e.Id);
        builder.Property(e => e.AccountId).IsRequired();
        builder.Property(e => e.Action).HasConversion<string>().HasMaxLength(64);
        builder.Property(e => e.Environment).HasConversion<string>().HasMaxLength(16);
        builder.Property(e => e.TargetId).HasMaxLength(64);
        builder.Property(e => e.TargetName).HasMaxLength(ActivityEntry.MaxTargetNameLength);
        builder.Property(e => e.IpAddress).HasMaxLength(ActivityEntry.MaxIpAddressLength);
        builder.Property(e => e.UserAgent).HasMaxLength(ActivityEntry.MaxUserAgentLength);

        builder.HasOne<Account>().WithMany().HasForeignKey(e => e.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.AccountId, e.At });
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        // One chain per account; a unique sequence means two writers can never fork it.
        builder.HasIndex(e => new { e.AccountId, e.Sequence }).IsUnique();
    }
}

public sealed class ActivityCheckpointConfiguration : IEntityTypeConfiguration<ActivityCheckpoint>
{
    public void Configure(EntityTypeBuilder<ActivityCheckpoint> builder)
    {
        builder.HasKey(c => c.AccountId);
        builder.Property(c => c.Seal).HasMaxLength(64);
        builder.HasOne<Account>().WithOne().HasForeignKey<ActivityCheckpoint>(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
