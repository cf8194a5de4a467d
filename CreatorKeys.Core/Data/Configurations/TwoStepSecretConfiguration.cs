using CreatorKeys.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class TwoStepSecretConfiguration : IEntityTypeConfiguration<TwoStepSecret>
{
    public void Configure(EntityTypeBuilder<TwoStepSecret> builder)
    {
        builder.HasKey(s => s.AccountId);
        builder.HasOne<Account>().WithOne().HasForeignKey<TwoStepSecret>(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class TwoStepRecoveryCodeConfiguration : IEntityTypeConfiguration<TwoStepRecoveryCode>
{
    public void Configure(EntityTypeBuilder<TwoStepRecoveryCode> builder)
    {
        builder.HasKey(c => c.Id);
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.AccountId);
    }
}
