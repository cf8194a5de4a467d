using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Setup;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class SetupProgressConfiguration : IEntityTypeConfiguration<SetupProgress>
{
    public void Configure(EntityTypeBuilder<SetupProgress> builder)
    {
        builder.HasKey(p => p.AccountId);
        // Stored as JSON arrays in one column each (EF Core primitive collections).
        builder.PrimitiveCollection(p => p.ProviderIds);
        builder.PrimitiveCollection(p => p.SkippedSlots);
        builder.HasOne<Account>().WithOne().HasForeignKey<SetupProgress>(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
