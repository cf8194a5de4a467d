using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreatorKeys.Data.PostgreSql;

/// <summary>
/// Lets <c>dotnet ef</c> build the PostgreSQL model and migrations (scripts/add-migration.sh). No server is needed:
/// adding a migration only compares the model with this assembly's snapshot.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CreatorKeysDbContext>
{
    public CreatorKeysDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CreatorKeysDbContext>()
            .UseNpgsql("Host=localhost;Database=creatorkeys_design_time", npgsql => npgsql.MigrationsAssembly(Database.PostgreSqlAssembly))
            .Options;
        return new CreatorKeysDbContext(options);
    }
}
