using CreatorKeys.Core.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Data;

/// <summary>Applies migrations and switches SQLite to WAL mode before the app takes requests.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var dataFolder = services.GetRequiredService<DataFolder>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        dataFolder.EnsureExists();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
        // An up-to-date database (every start but the first after an upgrade) skips MigrateAsync: it would
        // list the applied migrations again and diff the model against the snapshot, ~0.3 s of every start.
        if (pending > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        if (db.Database.IsSqlite())
        {
            // WAL lets readers and the writer work at once; the setting is stored in the file itself.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await services.GetRequiredService<DueDateRefresher>().RefreshAsync(cancellationToken);
        await services.GetRequiredService<Audit.ActivityChain>().SealOlderEntriesAsync(db, cancellationToken);
        await Accounts.TwoFactorService.HashLegacyRecoveryCodesAsync(db, cancellationToken);
        logger.LogInformation("Database ready at {DatabasePath}; {Count} migration(s) applied.", services.GetRequiredService<Database>().Describe(), pending);
    }
}
