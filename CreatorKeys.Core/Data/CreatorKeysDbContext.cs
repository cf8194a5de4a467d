using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CreatorKeys.Core.Data;

/// <summary>The app's database: Identity accounts, the vault's keys and the activity log.</summary>
/// <remarks>
/// Add a migration after changing the model, from the repository root:
/// <code>dotnet tool restore &amp;&amp; dotnet ef migrations add &lt;Name&gt; --project CreatorKeys.Core --output-dir Data/Migrations</code>
/// Migrations are applied at start by <see cref="DatabaseInitializer"/>.
/// </remarks>
public sealed class CreatorKeysDbContext(DbContextOptions<CreatorKeysDbContext> options)
    : IdentityDbContext<Account>(options)
{
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<ActivityEntry> Activity => Set<ActivityEntry>();

    public DbSet<CustomProvider> CustomProviders => Set<CustomProvider>();

    public DbSet<SetupProgress> SetupProgress => Set<SetupProgress>();

    public DbSet<Workflow> Workflows => Set<Workflow>();

    public DbSet<WorkflowKeyUse> WorkflowKeyUses => Set<WorkflowKeyUse>();

    public DbSet<KeyRotation> Rotations => Set<KeyRotation>();

    public DbSet<RotationTask> RotationTasks => Set<RotationTask>();

    public DbSet<Reminder> Reminders => Set<Reminder>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<MailSettingsRecord> MailSettings => Set<MailSettingsRecord>();

    public DbSet<TwoStepSecret> TwoStepSecrets => Set<TwoStepSecret>();

    public DbSet<TwoStepRecoveryCode> TwoStepRecoveryCodes => Set<TwoStepRecoveryCode>();

    public DbSet<ActivityCheckpoint> ActivityCheckpoints => Set<ActivityCheckpoint>();

    public DbSet<Providers.Connections.KeyCheckRecord> KeyChecks => Set<Providers.Connections.KeyCheckRecord>();

    public DbSet<Providers.Connections.KeySpend> KeySpends => Set<Providers.Connections.KeySpend>();

    public DbSet<AccessTokens.AccessToken> AccessTokens => Set<AccessTokens.AccessToken>();

    public DbSet<EnvironmentSetting> EnvironmentSettings => Set<EnvironmentSetting>();

    public DbSet<InstallState> InstallState => Set<InstallState>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CreatorKeysDbContext).Assembly);
        if (Database.IsNpgsql())
        {
            // The one filter written in SQLite's words (a boolean is 0/1 there); PostgreSQL has a real boolean.
            builder.Entity<KeyRotation>().HasIndex(r => r.OldKeyId).HasFilter("\"IsActive\"");
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type; storing UTC ticks keeps comparisons and ORDER BY in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
