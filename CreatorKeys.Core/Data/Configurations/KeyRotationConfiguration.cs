using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class KeyRotationConfiguration : IEntityTypeConfiguration<KeyRotation>
{
    public void Configure(EntityTypeBuilder<KeyRotation> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.AccountId).IsRequired();
        builder.Property(r => r.Reason).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.Step).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.Note).HasMaxLength(KeyRotation.MaxNoteLength);
        builder.Property(r => r.ProviderCreateName).HasMaxLength(ApiKey.MaxLabelLength);
        builder.Property(r => r.ProviderCreatedKeyId).HasMaxLength(ApiKey.MaxProviderKeyIdLength);
        builder.Property(r => r.ProviderCreatedProjectId).HasMaxLength(ApiKey.MaxProviderKeyIdLength);
        builder.Ignore(r => r.HasOrphanAtProvider);
        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(r => r.OldKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(r => r.Tasks).WithOne().HasForeignKey(t => t.RotationId).OnDelete(DeleteBehavior.Cascade);

        // One rotation at a time per key, enforced by the database so two windows cannot both start one.
        builder.HasIndex(r => r.OldKeyId).IsUnique().HasFilter("\"IsActive\" = 1");

        // Every other lookup by the key being replaced ("is this key already being replaced?" for each due key in the
        // reminder check, the cascade when a key is deleted): SQLite uses a partial index only for a query that repeats
        // its condition word for word, so without this one each lookup read the whole table.
        builder.HasIndex(r => r.OldKeyId, "IX_Rotations_OldKeyId_Lookup");
        builder.HasIndex(r => new { r.AccountId, r.SlotId });
    }
}

public sealed class RotationTaskConfiguration : IEntityTypeConfiguration<RotationTask>
{
    public void Configure(EntityTypeBuilder<RotationTask> builder)
    {
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.WorkflowName).HasMaxLength(100).IsRequired();
        builder.Property(t => t.VariableName).HasMaxLength(100).IsRequired();
        builder.Ignore(t => t.IsUpdated);
        builder.Ignore(t => t.IsTested);
    }
}
