using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class CustomProviderConfiguration : IEntityTypeConfiguration<CustomProvider>
{
    public void Configure(EntityTypeBuilder<CustomProvider> builder)
    {
        builder.HasKey(p => new { p.AccountId, p.Id });
        builder.Property(p => p.Id).HasMaxLength(64);
        builder.Property(p => p.Name).HasMaxLength(CustomProvider.MaxNameLength).IsRequired();
        builder.Property(p => p.KeysPageUrl).HasMaxLength(CustomProvider.MaxUrlLength);
        builder.Property(p => p.BillingPageUrl).HasMaxLength(CustomProvider.MaxUrlLength);
        builder.HasOne<Account>().WithMany().HasForeignKey(p => p.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
