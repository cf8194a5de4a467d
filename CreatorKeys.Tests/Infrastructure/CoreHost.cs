using CreatorKeys.Core;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// Core's real services over a real SQLite file (migrations applied) in a temp data folder,
/// with a fake clock. No web host.
/// </summary>
public sealed class CoreHost : IAsyncDisposable
{
    private CoreHost(TempFolder folder, ServiceProvider services, FakeTimeProvider time)
    {
        Folder = folder;
        Services = services;
        Time = time;
    }

    public TempFolder Folder { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public VaultService Vault => Services.GetRequiredService<VaultService>();

    public VaultSessionStore Sessions => Services.GetRequiredService<VaultSessionStore>();

    public DataFolder DataFolder => Services.GetRequiredService<DataFolder>();

    /// <summary>
    /// Starts Core on a fresh folder, or on <paramref name="folder"/> to simulate a restart;
    /// <paramref name="extraServices"/> adds to Core's services (an EF interceptor that records the SQL, say).
    /// </summary>
    public static Task<CoreHost> StartAsync(IDictionary<string, string?>? settings = null, TempFolder? folder = null, Action<IServiceCollection>? extraServices = null) =>
        StartAsync(DatabaseProvider.Sqlite, settings, folder, extraServices);

    /// <summary>
    /// The same on <paramref name="databaseProvider"/>: for PostgreSQL, the folder's own database on the test run's throwaway
    /// server (<see cref="PostgreSqlServer"/>), so a restart on the same folder finds the same data.
    /// </summary>
    public static async Task<CoreHost> StartAsync(DatabaseProvider databaseProvider, IDictionary<string, string?>? settings = null, TempFolder? folder = null, Action<IServiceCollection>? extraServices = null)
    {
        var ownsFolder = folder is null;
        folder ??= new TempFolder();
        var values = new Dictionary<string, string?> { [DataFolder.SettingName] = folder.Path };
        if (databaseProvider == DatabaseProvider.PostgreSql)
        {
            values[Database.Section + ":Provider"] = nameof(DatabaseProvider.PostgreSql);
            values[Database.Section + ":ConnectionString"] = await PostgreSqlServer.DatabaseForAsync(folder);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var time = new FakeTimeProvider(TestAccounts.WholeSecondNow());
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddSingleton<TimeProvider>(time);
        services.AddCoreServices(configuration);
        extraServices?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await provider.InitializeDatabaseAsync();
        return new CoreHost(folder, provider, time) { _ownsFolder = ownsFolder };
    }

    private bool _ownsFolder = true;

    /// <summary>Disposing will leave the folder for another host to start on (a restart); the caller deletes it.</summary>
    public TempFolder KeepFolderOnDispose()
    {
        _ownsFolder = false;
        return Folder;
    }

    /// <summary>Runs an account operation in its own scope, as one web request would.</summary>
    public async Task<T> WithAccountsAsync<T>(Func<AccountService, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AccountService>());
    }

    /// <summary>Signs up a creator and opens their vault session, as the sign-up page does.</summary>
    public async Task<(Account Account, VaultSession Session, string RecoveryCode)> SignUpAsync(string email = TestAccounts.Email, string password = TestAccounts.Password)
    {
        var outcome = await WithAccountsAsync(a => a.SignUpAsync(email, password, TestAccounts.Origin));
        Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
        var session = Sessions.Open(outcome.Vault!, emergencyKitPending: true, outcome.NewRecoveryCode);
        return (outcome.Account!, session, outcome.NewRecoveryCode!);
    }

    public async Task<KeySummary> AddKeyAsync(VaultSession session, string value, VaultEnvironment environment = VaultEnvironment.Prod, string provider = "OpenAI", string? label = null)
    {
        var result = await Vault.AddKeyAsync(session, new NewKeyInput(provider, environment, label ?? $"{environment.Code()} — {provider} — {Guid.NewGuid():N}", value), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        if (_ownsFolder)
        {
            Folder.Dispose();
        }
    }
}
