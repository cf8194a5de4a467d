using System.Diagnostics;
using System.Text;
using CreatorKeys.Benchmarks.Harness;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Accounts;

/// <summary>
/// The crash test of "Replace my vault key": a real process replaces the key on a real data folder and is KILLED with
/// half the values written inside the open transaction. The folder, opened afresh, must be the old state whole: the
/// password opens the vault, every value reveals, the fingerprints match, the emergency kit opens the same key. Then
/// the replacement runs again on it and finishes.
/// </summary>
/// <remarks>
/// The child is <c>CreatorKeys.Benchmarks vault-key-replacement-child</c> (<see cref="VaultKeyReplacementChild"/>): it
/// registers a TEST-ONLY <see cref="IVaultKeyReplacementTestPause"/> that writes a marker file when half the values are
/// written and then waits. The app never registers one and has no setting for it, so production cannot pause there.
/// </remarks>
public sealed class VaultKeyReplacementKillTests
{
    private const int KeyCount = 6;

    [Fact]
    public async Task Replace_ProcessKilledHalfWay_TheVaultOpensWithThePassword_AndEveryValueReveals()
    {
        using var folder = new TempFolder();
        Dictionary<Guid, string> values = [];
        string recoveryCode;
        Snapshot before;
        await using (var host = await CoreHost.StartAsync(folder: folder))
        {
            var (account, session, code) = await host.SignUpAsync();
            recoveryCode = code;
            var environments = Enum.GetValues<VaultEnvironment>();
            for (var i = 0; i < KeyCount; i++)
            {
                var value = TestAccounts.NewKeyValue();
                values[(await host.AddKeyAsync(session, value, environments[i % environments.Length])).Id] = value;
            }

            before = await SnapshotAsync(host, account.Id);
        }

        var marker = Path.Combine(folder.Path, "half-written.marker");
        using (var child = StartChild(folder.Path, marker))
        {
            var output = new StringBuilder();
            child.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            child.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            await child.StandardInput.WriteLineAsync(TestAccounts.Password);
            child.StandardInput.Close();
            try
            {
                await WaitForMarkerAsync(child, marker, output);
                Assert.Equal($"{KeyCount / 2}/{KeyCount}", await File.ReadAllTextAsync(marker));
                // While it waits, half the values are written but nothing is committed: a reader sees the old state.
                Assert.Equal(before.Ciphertexts, ReadCommittedCiphertexts(folder.Path));
            }
            finally
            {
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync();
            }
        }

        await using (var host = await CoreHost.StartAsync(folder: folder))
        {
            var after = await SnapshotAsync(host, before.Account.Id);
            // Never a mix: the old wraps and every old ciphertext, exactly as before the replacement started.
            Assert.Equal(before.Account.Vault.PasswordWrappedKey, after.Account.Vault.PasswordWrappedKey);
            Assert.Equal(before.Account.Vault.RecoveryWrappedKey, after.Account.Vault.RecoveryWrappedKey);
            Assert.Equal(before.Ciphertexts, after.Ciphertexts);
            using (var byPassword = AccountService.Unlock(after.Account, TestAccounts.Password))
            {
                AssertEveryValueReveals(byPassword, after, values);
            }

            using (var byKit = UnlockedVault.Unwrap(after.Account.Id, RecoveryCode.Normalize(recoveryCode)!, after.Account.Vault.RecoverySalt,
                after.Account.Vault.RecoveryIterations, after.Account.Vault.RecoveryWrappedKey, KeyWrapKind.RecoveryCode))
            {
                AssertEveryValueReveals(byKit, after, values);
            }

            // The replacement runs again on the recovered folder and finishes.
            var session = host.Sessions.Open(AccountService.Unlock(after.Account, TestAccounts.Password), false);
            await host.Services.ConfirmItsYouAsync(session);
            await using var scope = host.Services.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<ReplaceVaultKeyCommand>().ReplaceAsync(session, TestAccounts.Password, null, TestAccounts.Origin);
            Assert.True(outcome.Succeeded, string.Join(" ", outcome.Errors.Values));
            var replaced = await SnapshotAsync(host, after.Account.Id);
            using var byNewKey = AccountService.Unlock(replaced.Account, TestAccounts.Password);
            AssertEveryValueReveals(byNewKey, replaced, values);
            Assert.DoesNotContain(replaced.Ciphertexts, c => after.Ciphertexts.Contains(c));
        }
    }

    private static Process StartChild(string dataFolder, string marker)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "CreatorKeys.Benchmarks.dll"), VaultKeyReplacementChild.Argument, dataFolder, TestAccounts.Email, marker })
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>Waits for the child's own signal (the marker file), failing with its output if it ends or never gets there.</summary>
    private static async Task WaitForMarkerAsync(Process child, string marker, StringBuilder output)
    {
        var watch = Stopwatch.StartNew();
        while (!File.Exists(marker) || new FileInfo(marker).Length == 0)
        {
            if (child.HasExited || watch.Elapsed > TimeSpan.FromMinutes(2))
            {
                lock (output)
                {
                    Assert.Fail($"The child never paused half-way (exited: {child.HasExited}):\n{output}");
                }
            }

            await Task.Delay(20);
        }
    }

    /// <summary>What another connection sees committed, read straight from the file.</summary>
    private static List<string> ReadCommittedCiphertexts(string dataFolder)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataFolder, "creatorkeys.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Ciphertext\" FROM \"ApiKeys\" ORDER BY \"Id\"";
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(Convert.ToHexString((byte[])reader[0]));
        }

        return result;
    }

    private static async Task<Snapshot> SnapshotAsync(CoreHost host, string accountId)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var account = await db.Users.AsNoTracking().SingleAsync(a => a.Id == accountId);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).OrderBy(k => k.Id).ToListAsync();
        return new Snapshot(account, keys);
    }

    private static void AssertEveryValueReveals(UnlockedVault vault, Snapshot snapshot, Dictionary<Guid, string> values)
    {
        Assert.Equal(KeyCount, snapshot.Keys.Count);
        foreach (var key in snapshot.Keys)
        {
            var value = vault.DecryptValue(key.Id, key.Environment, key.Ciphertext);
            Assert.Equal(values[key.Id], value);
            Assert.Equal(vault.Fingerprint(value), key.Fingerprint);
        }
    }

    private sealed record Snapshot(Account Account, List<ApiKey> Keys)
    {
        public List<string> Ciphertexts { get; } = [.. Keys.Select(k => Convert.ToHexString(k.Ciphertext))];
    }
}
