using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreatorKeys.Core.Data.Configurations;

public sealed class InstallStateConfiguration : IEntityTypeConfiguration<InstallState>
{
    public void Configure(EntityTypeBuilder<InstallState> builder)
    {
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.DueDatesComputedIn).HasMaxLength(200);
    }
}
