using CreatorKeys.Core.Data;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace CreatorKeys.Web.Reminders;

/// <summary>
/// Where Hangfire keeps its jobs: in memory beside SQLite (one instance; the durable state, the reminder ledger and
/// the outbox, is in the database anyway), in the database's own <c>hangfire</c> schema on PostgreSQL, so every
/// instance shares one queue, one set of recurring jobs and Hangfire's distributed locks
/// (docs/decisions/020-several-instances.md).
/// </summary>
internal static class JobStorageSetup
{
    public const string Schema = "hangfire";

    /// <summary>How long a job waits for the same job running on another instance before it fails and is retried.</summary>
    public static readonly TimeSpan OneAtATimeWait = TimeSpan.FromMinutes(10);

    public static IGlobalConfiguration UseCreatorKeysStorage(this IGlobalConfiguration configuration, Database database, bool prepareSchema)
    {
        if (database.IsSqlite)
        {
            return configuration.UseInMemoryStorage();
        }

        // A recurring job fires once per occurrence across instances already (Hangfire's scheduler takes a distributed
        // lock); this also keeps each job method (the daily check, the outbox delivery) to one run at a time everywhere,
        // e.g. when every instance's start-up check lands at once. The ledger and the outbox lock keep exactly-once anyway.
        configuration.UsePostgreSqlStorage(options => options.UseNpgsqlConnection(database.ConnectionString), Options(prepareSchema));
        // Hangfire's filters are process-wide: added once, however many hosts a process starts (the tests start several).
        if (!GlobalJobFilters.Filters.Any(f => f.Instance is DisableConcurrentExecutionAttribute))
        {
            configuration.UseFilter(new DisableConcurrentExecutionAttribute((int)OneAtATimeWait.TotalSeconds));
        }

        return configuration;
    }

    /// <summary>
    /// The <c>migrate</c> command: creates or upgrades Hangfire's tables on PostgreSQL once, so instances started with
    /// <c>MigrateAtStart = false</c> do not race to do it. Nothing on SQLite (its jobs live in memory).
    /// </summary>
    public static void PrepareSchema(Database database)
    {
        if (database.IsPostgreSql)
        {
            var options = Options(prepareSchema: true);
            // Constructing the storage installs or upgrades the schema; nothing else is started.
            _ = new PostgreSqlStorage(new NpgsqlConnectionFactory(database.ConnectionString, options), options);
        }
    }

    private static PostgreSqlStorageOptions Options(bool prepareSchema) => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = prepareSchema,
        // New jobs are seen within seconds (the default 15 s would delay start-up's catch-up check and "send now").
        QueuePollInterval = TimeSpan.FromSeconds(2),
    };
}
