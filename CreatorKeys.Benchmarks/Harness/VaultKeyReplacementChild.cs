using CreatorKeys.Core;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreatorKeys.Benchmarks.Harness;

/// <summary>
/// Not a benchmark: the child process of the crash test <c>VaultKeyReplacementKillTests</c>, here because this is the
/// repository's console program built beside the tests (like <see cref="EmptyApp"/>). It opens Core on a data folder,
/// signs in, confirms it's the creator and replaces the vault key, with a TEST-ONLY pause registered that writes a
/// marker file once half the values are written (the transaction still open) and then waits to be killed.
/// <c>dotnet CreatorKeys.Benchmarks.dll vault-key-replacement-child &lt;data folder&gt; &lt;email&gt; &lt;marker file&gt;</c>,
/// with the password on standard input; exits 0 only if the replacement finished (it should be killed first).
/// </summary>
public static class VaultKeyReplacementChild
{
    public const string Argument = "vault-key-replacement-child";

    public static async Task<int> RunAsync(string dataFolder, string email, string markerFile)
    {
        var password = Console.ReadLine() ?? "";
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [DataFolder.SettingName] = dataFolder })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddCoreServices(configuration);
        // The pause exists only in this program's own service collection: the app has no setting that adds it.
        services.AddSingleton<IVaultKeyReplacementTestPause>(new PauseWhenHalfWritten(markerFile));
        await using var provider = services.BuildServiceProvider();
        await provider.InitializeDatabaseAsync();

        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
        var account = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("No such account.");
        var vault = await scope.ServiceProvider.GetRequiredService<AccountService>().UnlockAsync(account, password);
        var session = provider.GetRequiredService<VaultSessionStore>().Open(vault, emergencyKitPending: false);
        var confirmed = await scope.ServiceProvider.GetRequiredService<ConfirmationService>().ConfirmAsync(session, password, RequestOrigin.System);
        if (!confirmed.Succeeded)
        {
            throw new InvalidOperationException(confirmed.Error);
        }

        var outcome = await scope.ServiceProvider.GetRequiredService<ReplaceVaultKeyCommand>().ReplaceAsync(session, password, null, RequestOrigin.System);
        await Console.Out.WriteLineAsync(outcome.Succeeded ? "finished" : "failed: " + string.Join(" ", outcome.Errors.Values));
        return outcome.Succeeded ? 0 : 1;
    }

    /// <summary>Writes the marker (how many values of how many are written) and waits until the process is killed.</summary>
    private sealed class PauseWhenHalfWritten(string markerFile) : IVaultKeyReplacementTestPause
    {
        public async Task HalfWrittenAsync(int written, int total, CancellationToken cancellationToken)
        {
            await File.WriteAllTextAsync(markerFile, $"{written}/{total}", cancellationToken);
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }
}
