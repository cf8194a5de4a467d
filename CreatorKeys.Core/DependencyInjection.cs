using System.Security.Cryptography.X509Certificates;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Email;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Providers.Connections;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Reports;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Setup;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Core;

public static class DependencyInjection
{
    /// <summary>Registers the domain: data, accounts, vault, activity log and DataProtection.</summary>
    public static IHostApplicationBuilder AddCoreServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCoreServices(builder.Configuration);
        return builder;
    }

    /// <inheritdoc cref="AddCoreServices(IHostApplicationBuilder)"/>
    public static IServiceCollection AddCoreServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<VaultOptions>().BindConfiguration(VaultOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SpendCapOptions>().BindConfiguration(SpendCapOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RotationOptions>().BindConfiguration(RotationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReminderOptions>().BindConfiguration(ReminderOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ActionLimits>();
        services.AddSingleton<PasswordWorkGate>();
        services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var dataFolder = DataFolder.FromConfiguration(configuration);
        var database = Database.FromConfiguration(configuration, dataFolder);
        dataFolder.EnsureExists(sqliteFile: database.IsSqlite);
        services.AddSingleton(dataFolder);
        services.AddSingleton(database);

        // One context per operation (IDbContextFactory); Identity's stores get a scoped one from the same factory.
        // Pooled: a page makes several short-lived contexts, and a reused one skips building EF's services each time.
        // Every registered EF interceptor joins in: the due dates, the activity chain, and any a test adds to watch the SQL.
        services.AddSingleton<IInterceptor, RotationScheduleInterceptor>();
        services.AddSingleton<IInterceptor, ActivityChainInterceptor>();
        services.AddSingleton<AccountChanges>();
        services.AddSingleton<IInterceptor, AccountChangesInterceptor>();
        services.AddPooledDbContextFactory<CreatorKeysDbContext>((provider, options) => database.Configure(options)
            .AddInterceptors(provider.GetServices<IInterceptor>()));
        // A real query, not just "can open the file": SQLite opens a damaged file happily.
        services.AddHealthChecks().AddDbContextCheck<CreatorKeysDbContext>("database", customTestQuery: async (db, ct) =>
        {
            await db.Users.AnyAsync(ct);
            return true;
        });

        services.AddAccounts();
        services.AddKeyRing(configuration, dataFolder, database);

        services.AddSingleton<VaultSessionStore>();
        services.AddHostedService<VaultAutoLock>();
        services.AddSingleton<ActivityService>();
        services.AddSingleton<ActivityChain>();
        services.AddSingleton<ActivitySealKey>();
        services.AddSingleton<VaultService>();
        services.AddSingleton<AccessTokens.AccessTokenUseLog>();
        services.AddSingleton<AccessTokens.AccessTokenService>();
        services.AddSingleton<ExportNameService>();
        services.AddSingleton<MissingNamesService>();
        services.AddSingleton<DotEnvDownloadService>();
        services.AddSingleton<ProviderService>();
        services.AddProviderConnections(configuration);
        services.AddSingleton<StoredKeyChecks>();
        services.AddSingleton<StoredSpend>();
        services.AddSingleton<SetupService>();
        services.AddSingleton<SecurityChecklistService>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<WorkflowService>();
        services.AddSingleton<RotationService>();
        services.AddSingleton<ProviderRotationService>();
        services.AddSingleton<LeakCheckService>();
        services.AddSingleton<KeyInTextGuard>();
        services.AddSingleton<DueDateRefresher>();
        services.AddReminders();
        services.AddSingleton<InventoryReportService>();
        services.AddSingleton<ReportExportService>();
        services.AddSingleton<Backup.BackupService>();
        services.AddSingleton<MonthlyReportService>();

        return services;
    }

    private static void AddReminders(this IServiceCollection services)
    {
        services.AddSingleton<MailSettingsService>();
        services.AddSingleton<MailTransport>();
        services.AddSingleton<OutboxService>();
        services.AddSingleton<ReminderNotifier>();
        services.AddSingleton<SecurityNoticeService>();
        services.AddSingleton<ReminderService>();
        services.AddSingleton<RotationPolicyService>();
        services.AddSingleton<NearCapNoticeService>();
        services.AddTransient<ReminderJobs>();
    }

    private static void AddAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<Account>()
            .AddEntityFrameworkStores<CreatorKeysDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<StrongPasswordValidator>();
        // Every Identity password hash and check waits its turn at the install-wide derivation gate.
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<Account>, GatedPasswordHasher<Account>>());

        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            // Long passphrases beat composition rules (NIST SP 800-63B); four distinct characters refuse "aaaaaaaaaaaa".
            identity.Password.RequiredLength = accounts.Value.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 4;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = accounts.Value.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(accounts.Value.LockoutMinutes);
            identity.User.RequireUniqueEmail = true;
            identity.SignIn.RequireConfirmedAccount = false;
        });

        // The stored password hash must cost an attacker as much as the vault's own key derivation,
        // or cracking it would be the cheaper way to the password (docs/decisions/002-vault-encryption.md).
        services.AddOptions<PasswordHasherOptions>().Configure<IOptions<VaultOptions>>((hasher, vault) =>
            hasher.IterationCount = vault.Value.KeyDerivationIterations);

        services.AddScoped<AccountService>();
        services.AddScoped<TwoFactorService>();
        services.AddScoped<ConfirmationService>();
        services.AddScoped<ReplaceVaultKeyCommand>();
        services.AddSingleton<InstallAdmin>();
    }

    private static void AddKeyRing(this IServiceCollection services, IConfiguration configuration, DataFolder dataFolder, Database database)
    {
        var settings = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName("CreatorKeys");
        KeyRingSource source;
        if (database.IsPostgreSql)
        {
            // Several instances on one database share one ring, so a cookie made by one is read by every other
            // (docs/decisions/020-several-instances.md). Its own small context; the table is made by whoever migrates.
            services.AddDbContext<KeyRingDbContext>(options => options.UseNpgsql(database.ConnectionString));
            dataProtection.PersistKeysToDbContext<KeyRingDbContext>();
            source = new KeyRingTable(database);
        }
        else
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(dataFolder.KeyRingPath));
            source = new KeyRingFolder(dataFolder.KeyRingPath);
        }

        X509Certificate2? certificate = null;
        if (settings.HasCertificate && File.Exists(settings.CertificatePath))
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath!, settings.CertificatePassword);
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        // The status reads the key files themselves (DPAPI on Windows encrypts them too, and shows the same way).
        services.AddSingleton(new KeyRingStatus(source, certificate));
        services.AddHostedService<KeyRingWarning>();
        services.AddSingleton<ServerSecretProtector>();
    }
}
