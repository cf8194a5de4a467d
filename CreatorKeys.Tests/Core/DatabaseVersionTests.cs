using System.Diagnostics;
using CreatorKeys.Core.Data;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core;

/// <summary>
/// Start-up and the database's version (issue 23 §1): several instances must not race to migrate, so
/// <c>CreatorKeys:Database:MigrateAtStart = false</c> leaves it to the <c>migrate</c> command; and an older version
/// started on a database a newer one migrated stops with a plain message instead of running on a schema it does not know.
/// </summary>
public class DatabaseVersionTests
{
    /// <summary>The database these tests run on; <see cref="DatabaseVersionTestsOnPostgreSql"/> runs them on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    [Fact]
    public async Task StartUp_OnADatabaseANewerVersionMigrated_RefusesWithAPlainMessage()
    {
        using var folder = new TempFolder();
        await using (var first = await CoreHost.StartAsync(Provider, folder: folder))
        {
            await using var db = await first.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion") VALUES ('29991231000000_FromANewerVersion', '10.0.15')""");
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CoreHost.StartAsync(Provider, folder: folder));
        Assert.Contains("newer version of CreatorKeys", refused.Message, StringComparison.Ordinal);
        Assert.Contains("29991231000000_FromANewerVersion", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAtStartOff_ANewDatabase_StopsAndNamesTheMigrateCommand_ThenMigrateLetsItStart()
    {
        using var folder = new TempFolder();
        var off = new Dictionary<string, string?> { [DatabaseInitializer.MigrateAtStartSetting] = "false" };
        if (Provider == DatabaseProvider.PostgreSql)
        {
            await PostgreSqlServer.DatabaseForAsync(folder, migrated: false);
        }

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => CoreHost.StartAsync(Provider, off, folder));
        Assert.Contains("CreatorKeys.Web.dll migrate", refused.Message, StringComparison.Ordinal);

        // The command's own code path, on the same settings, twice: the second finds nothing to do.
        var settings = await SettingsAsync(folder);
        Assert.DoesNotContain("(0 migration(s) applied)", await RunMigrateAsync(settings), StringComparison.Ordinal);
        Assert.Contains("(0 migration(s) applied)", await RunMigrateAsync(settings), StringComparison.Ordinal);

        await using var started = await CoreHost.StartAsync(Provider, off, folder);
        await using var db = await started.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());

        // migrate also made, once, what instances share (decision 020): the activity seal key in the data folder and,
        // on PostgreSQL, Hangfire's tables and the sign-in key ring's table with its first key.
        Assert.True(File.Exists(Path.Combine(folder.Path, "keys", CreatorKeys.Core.Audit.ActivitySealKey.FileName)));
        if (Provider == DatabaseProvider.PostgreSql)
        {
            Assert.True(await db.Database.SqlQueryRaw<bool>("""SELECT to_regclass('hangfire.job') IS NOT NULL AS "Value" """).SingleAsync());
            Assert.Equal(1, await db.Database.SqlQueryRaw<int>("""SELECT count(*)::int AS "Value" FROM "DataProtectionKeys" """).SingleAsync());
        }
    }

    /// <summary>The environment a real deployment would give the app for <paramref name="folder"/>.</summary>
    private async Task<Dictionary<string, string>> SettingsAsync(TempFolder folder)
    {
        var settings = new Dictionary<string, string> { ["CreatorKeys__DataFolder"] = folder.Path };
        if (Provider == DatabaseProvider.PostgreSql)
        {
            settings["CreatorKeys__Database__Provider"] = "PostgreSql";
            settings["CreatorKeys__Database__ConnectionString"] = await PostgreSqlServer.DatabaseForAsync(folder);
        }

        return settings;
    }

    /// <summary><c>dotnet CreatorKeys.Web.dll migrate</c> as a separate process; what it printed.</summary>
    private static async Task<string> RunMigrateAsync(Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CreatorKeys.Web.dll"));
        start.ArgumentList.Add(DatabaseInitializer.MigrateCommand);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"migrate failed ({process.ExitCode}): {await output} {await error}");
        Assert.Contains("Database up to date", await output, StringComparison.Ordinal);
        return await output;
    }
}

/// <summary>The same on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class DatabaseVersionTestsOnPostgreSql : DatabaseVersionTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
