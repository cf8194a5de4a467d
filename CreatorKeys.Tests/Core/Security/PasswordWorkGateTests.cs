using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Security;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CreatorKeys.Tests.Core.Security;

/// <summary>
/// The install-wide gate on password derivations: a slow derivation (held open by the test with a
/// TaskCompletionSource, no sleeping) fills the slots; others queue, then get "busy".
/// </summary>
public sealed class PasswordWorkGateTests
{
    [Fact]
    public async Task SlotsTaken_TheNextWaitsInTheQueue_AndRunsWhenASlotFrees_PastTheQueueIsBusyAtOnce()
    {
        using var gate = Gate(atOnce: 1, waiting: 1, out _);
        var slow = new SlowDerivation(gate);

        var queued = gate.RunAsync(() => "queued");
        var refused = await Assert.ThrowsAsync<ServerBusyException>(() => gate.RunAsync(() => "refused"));

        Assert.False(queued.IsCompleted);
        Assert.Equal(1, gate.Waiting);
        Assert.Equal(PasswordWorkGate.BusyMessage, refused.Message);
        await slow.FinishAsync();
        Assert.Equal("queued", await queued);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task Queued_NoSlotWithinTheWait_IsBusy_AndNeverRuns()
    {
        using var gate = Gate(atOnce: 1, waiting: 5, out var time);
        var slow = new SlowDerivation(gate);
        var ran = false;

        var queued = gate.RunAsync(() => ran = true);
        time.Advance(PasswordWorkGate.MaxWait - TimeSpan.FromSeconds(1));
        Assert.False(queued.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ServerBusyException>(() => queued);
        Assert.False(ran);
        await slow.FinishAsync();
        Assert.True(await gate.RunAsync(() => true));
    }

    [Fact]
    public async Task Nested_InsideOneOperation_TakesNoSecondSlot()
    {
        using var gate = Gate(atOnce: 1, waiting: 0, out _);

        var result = await gate.RunAsync(() => gate.RunAsync(() => gate.Run(() => 42)));

        Assert.Equal(42, result);
    }

    [Fact]
    public async Task EveryPasswordPath_WhileTheSlotsAreTaken_SaysBusy_AndChangesNothing()
    {
        await using var host = await CoreHost.StartAsync(new Dictionary<string, string?>
        {
            ["CreatorKeys:Accounts:Registration"] = "Open",
            ["CreatorKeys:RateLimits:PasswordChecksAtOnce"] = "1",
            ["CreatorKeys:RateLimits:PasswordChecksWaiting"] = "0",
        });
        var (account, session, recoveryCode) = await host.SignUpAsync();
        await host.AddKeyAsync(session, TestAccounts.NewKeyValue());
        await host.Services.ConfirmItsYouAsync(session);
        var backups = host.Services.GetRequiredService<BackupService>();
        var backup = (await backups.CreateAsync(session, "lantern orbit pickle meadow", TestAccounts.Origin)).Content!;
        var slow = new SlowDerivation(host.Services.GetRequiredService<PasswordWorkGate>());

        var signUp = await host.WithAccountsAsync(a => a.SignUpAsync(TestAccounts.OtherEmail, TestAccounts.Password, TestAccounts.Origin));
        var change = await host.WithAccountsAsync(a => a.ChangePasswordAsync(session, TestAccounts.Password, TestAccounts.NewPassword, TestAccounts.Origin));
        var recover = await host.WithAccountsAsync(a => a.ResetPasswordWithRecoveryCodeAsync(TestAccounts.Email, recoveryCode, TestAccounts.NewPassword, TestAccounts.Origin));
        var stored = await LoadAsync(host, account.Id);
        await host.WithAccountsAsync(async a => await Assert.ThrowsAsync<ServerBusyException>(() => a.CheckSignInPasswordAsync(stored, TestAccounts.Password)));
        await host.WithAccountsAsync(async a => await Assert.ThrowsAsync<ServerBusyException>(() => a.UnlockAsync(stored, TestAccounts.Password)));
        await host.WithAccountsAsync(async a => await Assert.ThrowsAsync<ServerBusyException>(() => a.SpendPasswordCheckTimeAsync(TestAccounts.Password)));
        await host.WithAccountsAsync(async a => await Assert.ThrowsAsync<ServerBusyException>(() => a.IssueNewRecoveryCodeAsync(session, TestAccounts.Origin)));
        // Identity's own password checks (two-step settings, and whatever else asks Identity) wait at the same gate.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Account>>();
            await Assert.ThrowsAsync<ServerBusyException>(() => users.CheckPasswordAsync(stored, TestAccounts.Password));
        }

        var newBackup = await backups.CreateAsync(session, "lantern orbit pickle meadow", TestAccounts.Origin);
        var (_, emptySession, _) = await SignUpOtherAfterAsync(host, slow);
        await host.Services.ConfirmItsYouAsync(emptySession);

        Assert.All(new[] { signUp, change, recover }, o => Assert.Equal(PasswordWorkGate.BusyMessage, o.Errors[AccountOutcome.FormError]));
        Assert.Equal(PasswordWorkGate.BusyMessage, newBackup.Error);
        var after = await LoadAsync(host, account.Id);
        Assert.Equal(stored.PasswordHash, after.PasswordHash);
        Assert.Equal(stored.Vault.RecoveryWrappedKey, after.Vault.RecoveryWrappedKey);
        Assert.Equal(0, after.AccessFailedCount);

        // Restoring waits at the gate too.
        var blocker = new SlowDerivation(host.Services.GetRequiredService<PasswordWorkGate>());
        var restore = await backups.RestoreAsync(emptySession, backup, "lantern orbit pickle meadow", TestAccounts.Origin);
        Assert.Equal(PasswordWorkGate.BusyMessage, restore.Error);
        await blocker.FinishAsync();
        Assert.True((await backups.RestoreAsync(emptySession, backup, "lantern orbit pickle meadow", TestAccounts.Origin)).Succeeded);
    }

    /// <summary>Frees the slot, then signs up a second (empty) account to restore into.</summary>
    private static async Task<(Account, CreatorKeys.Core.Vault.VaultSession, string)> SignUpOtherAfterAsync(CoreHost host, SlowDerivation slow)
    {
        await slow.FinishAsync();
        Assert.Equal(0, await CountAsync(host, TestAccounts.OtherEmail));
        return await host.SignUpAsync(TestAccounts.OtherEmail);
    }

    private static PasswordWorkGate Gate(int atOnce, int waiting, out FakeTimeProvider time)
    {
        time = new FakeTimeProvider();
        return new PasswordWorkGate(Options.Create(new RateLimitOptions { PasswordChecksAtOnce = atOnce, PasswordChecksWaiting = waiting }), time);
    }

    private static async Task<Account> LoadAsync(CoreHost host, string id)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private static async Task<int> CountAsync(CoreHost host, string email)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        return await db.Users.CountAsync(a => a.Email == email);
    }

    /// <summary>A derivation that holds its slot until the test lets it finish.</summary>
    private sealed class SlowDerivation
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task<int> _running;

        public SlowDerivation(PasswordWorkGate gate)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _running = gate.RunAsync(async () =>
            {
                started.SetResult();
                await _finish.Task;
                return 0;
            });
            Assert.True(started.Task.IsCompleted, "The slow derivation should have taken a free slot at once.");
        }

        public async Task FinishAsync()
        {
            _finish.SetResult();
            await _running;
        }
    }
}
