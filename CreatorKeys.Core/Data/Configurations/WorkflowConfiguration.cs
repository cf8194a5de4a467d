using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class WorkflowConfiguration : IEntityTypeConfiguration<Workflow>
{
    public void Configure(EntityTypeBuilder<Workflow> builder)
    {
        builder.HasKey(w => w.Id);
        builder.Property(w => w.Id).ValueGeneratedNever();
        builder.Property(w => w.AccountId).IsRequired();
        builder.Property(w => w.Name).HasMaxLength(Workflow.MaxNameLength).IsRequired();
        builder.Property(w => w.Platform).HasConversion<string>().HasMaxLength(24);
        builder.Property(w => w.Environment).HasConversion<string>().HasMaxLength(16);
        builder.Property(w => w.Location).HasMaxLength(Workflow.MaxLocationLength);
        builder.Property(w => w.Notes).HasMaxLength(Workflow.MaxNotesLength);
        builder.HasOne<Account>().WithMany().HasForeignKey(w => w.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(w => w.KeyUses).WithOne().HasForeignKey(u => u.WorkflowId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(w => w.AccountId);
    }
}

public sealed class WorkflowKeyUseConfiguration : IEntityTypeConfiguration<WorkflowKeyUse>
{
    public void Configure(EntityTypeBuilder<WorkflowKeyUse> builder)
    {
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.VariableName).HasMaxLength(WorkflowKeyUse.MaxVariableLength).IsRequired();
        // Deleting a key removes it from the workflows that listed it.
        builder.HasOne<ApiKey>().WithMany().HasForeignKey(u => u.KeyId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(u => u.KeyId);
    }
}
