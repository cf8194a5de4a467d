using CreatorKeys.Core.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Core.Data;

/// <summary>
/// Brings the database up to this version before the app takes requests: applies migrations (unless
/// <c>CreatorKeys:Database:MigrateAtStart</c> is false, when <c>migrate</c> does it once for every instance),
/// refuses a database a newer version has migrated, and switches SQLite to WAL mode.
/// </summary>
public static class DatabaseInitializer
{
    /// <summary>The command-line word that only migrates and exits: <c>dotnet CreatorKeys.Web.dll migrate</c>.</summary>
    public const string MigrateCommand = "migrate";

    public const string MigrateAtStartSetting = Database.Section + ":MigrateAtStart";

    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var dataFolder = services.GetRequiredService<DataFolder>();
        var dbFactory = services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));
        var migrateAtStart = services.GetService<IConfiguration>()?.GetValue<bool?>(MigrateAtStartSetting) ?? true;

        dataFolder.EnsureExists(sqliteFile: services.GetRequiredService<Database>().IsSqlite);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var pending = await CheckVersionAsync(db, cancellationToken);
        // An up-to-date database (every start but the first after an upgrade) skips MigrateAsync: it would
        // list the applied migrations again and diff the model against the snapshot, ~0.3 s of every start.
        if (pending.Count > 0)
        {
            if (!migrateAtStart)
            {
                throw new InvalidOperationException(
                    $"The database needs {pending.Count} update(s) this version brings ({pending[^1]}), and {MigrateAtStartSetting} is false. " +
                    $"Run 'dotnet CreatorKeys.Web.dll {MigrateCommand}' once (one instance, with the same settings), then start the app.");
            }

            await db.Database.MigrateAsync(cancellationToken);
        }

        var database = services.GetRequiredService<Database>();
        if (migrateAtStart)
        {
            await Security.KeyRingDbContext.EnsureTableAsync(database, cancellationToken);
        }
        else if (!await Security.KeyRingDbContext.TableExistsAsync(database, cancellationToken))
        {
            throw new InvalidOperationException(
                $"The database has no table for the sign-in key ring yet, and {MigrateAtStartSetting} is false. " +
                $"Run 'dotnet CreatorKeys.Web.dll {MigrateCommand}' once (one instance, with the same settings), then start the app.");
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets readers and the writer work at once; the setting is stored in the file itself.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await services.GetRequiredService<DueDateRefresher>().RefreshAsync(cancellationToken);
        await services.GetRequiredService<Audit.ActivityChain>().SealOlderEntriesAsync(db, cancellationToken);
        await Accounts.TwoFactorService.HashLegacyRecoveryCodesAsync(db, cancellationToken);
        logger.LogInformation("Database ready at {DatabasePath}; {Count} migration(s) applied.", services.GetRequiredService<Database>().Describe(), pending.Count);
    }

    /// <summary>The <c>migrate</c> command: applies every pending migration and nothing else. Returns how many.</summary>
    public static async Task<int> MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        services.GetRequiredService<DataFolder>().EnsureExists(sqliteFile: services.GetRequiredService<Database>().IsSqlite);
        await using var db = await services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync(cancellationToken);
        var pending = await CheckVersionAsync(db, cancellationToken);
        if (pending.Count > 0)
        {
            // EF Core takes the database's migration lock, so a second migrate at the same moment waits, then finds nothing to do.
            await db.Database.MigrateAsync(cancellationToken);
        }

        // The shared sign-in key ring's table (PostgreSQL), and, made here once rather than by every instance at its
        // first start at the same moment: the ring's first key and the activity log's seal key (in the data folder,
        // which the instances share; docs/self-hosting.md, "Run it for a team").
        await Security.KeyRingDbContext.EnsureTableAsync(services.GetRequiredService<Database>(), cancellationToken);
        _ = services.GetRequiredService<Audit.ActivitySealKey>().Key.Length;
        return pending.Count;
    }

    /// <summary>The migrations still to apply; throws when the database has one this version does not know (a newer version ran on it).</summary>
    private static async Task<IReadOnlyList<string>> CheckVersionAsync(CreatorKeysDbContext db, CancellationToken cancellationToken)
    {
        var known = db.GetService<IMigrationsAssembly>().Migrations.Keys.ToList();
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var unknown = applied.Except(known, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"This database was updated by a newer version of CreatorKeys (its latest change, {unknown.Max(StringComparer.Ordinal)}, is unknown to this version). " +
                "Starting an older version on it could lose data, so it stops here: run the newer version again, or restore the backup made before the upgrade.");
        }

        return [.. known.Except(applied, StringComparer.Ordinal)];
    }
}
