using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CreatorKeys.Core.Data;

/// <summary>Lets <c>dotnet ef</c> build the model without starting the web app.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<CreatorKeysDbContext>
{
    public CreatorKeysDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<CreatorKeysDbContext>()
            .UseSqlite("Data Source=design-time.db")
            .Options;
        return new CreatorKeysDbContext(options);
    }
}
