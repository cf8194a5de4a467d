using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> builder)
    {
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.AccountId).IsRequired();
        builder.Property(r => r.Stage).HasConversion<string>().HasMaxLength(16);

        builder.HasOne<Account>().WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(r => r.ApiKeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<OutboxMessage>().WithMany().HasForeignKey(r => r.OutboxMessageId).OnDelete(DeleteBehavior.SetNull);

        // The ledger's promise: one reminder per key, due date, stage and step, however often the check runs.
        builder.HasIndex(r => new { r.ApiKeyId, r.DueOn, r.Stage, r.Step }).IsUnique();
        builder.HasIndex(r => new { r.AccountId, r.ReadAt });
    }
}

public sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(m => m.ToAddress).HasMaxLength(320).IsRequired();
        builder.Property(m => m.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength).IsRequired();
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        builder.Property(m => m.SentVia).HasMaxLength(300);

        builder.HasOne<Account>().WithMany().HasForeignKey(m => m.AccountId).OnDelete(DeleteBehavior.Cascade);

        // The sender's query: unsent messages whose next attempt has come.
        builder.HasIndex(m => new { m.SentAt, m.NextAttemptAt });
        builder.Property(m => m.DedupKey).HasMaxLength(200);
        builder.Property(m => m.AttachmentName).HasMaxLength(200);
        builder.Property(m => m.AttachmentContentType).HasMaxLength(100);
        builder.HasIndex(m => m.DedupKey).IsUnique().HasFilter("\"DedupKey\" IS NOT NULL");
    }
}

public sealed class MailSettingsRecordConfiguration : IEntityTypeConfiguration<MailSettingsRecord>
{
    public void Configure(EntityTypeBuilder<MailSettingsRecord> builder)
    {
        builder.ToTable("MailSettings");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Host).HasMaxLength(253);
        builder.Property(m => m.Security).HasConversion<string>().HasMaxLength(16);
        builder.Property(m => m.UserName).HasMaxLength(320);
        builder.Property(m => m.FromAddress).HasMaxLength(320);
    }
}
