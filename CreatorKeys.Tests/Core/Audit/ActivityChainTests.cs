using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Audit;

/// <summary>The activity log's hash chain, tampered with directly in the database file.</summary>
public sealed class ActivityChainTests : IAsyncLifetime
{
    private CoreHost _host = default!;
    private string _accountId = "";

    private ActivityChain Chain => _host.Services.GetRequiredService<ActivityChain>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        var (account, _, _) = await _host.SignUpAsync();
        _accountId = account.Id;
        var activity = _host.Services.GetRequiredService<ActivityService>();
        for (var i = 1; i <= 5; i++)
        {
            _host.Time.Advance(TimeSpan.FromMinutes(1));
            await activity.RecordAsync(_accountId, ActivityAction.KeyRevealed, TestAccounts.Origin, Guid.NewGuid().ToString(), $"PROD — OpenAI — {i}", VaultEnvironment.Prod);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Verify_UntouchedLog_IsIntact()
    {
        var report = await Chain.VerifyAsync(_accountId);

        Assert.True(report.Intact, report.Message);
        Assert.Equal(6, report.Checked);
        Assert.Equal("Intact: all 6 entries are as they were written.", report.Message);
    }

    [Fact]
    public async Task Verify_AnEntryChangedInTheFile_IsReportedAtThatEntry()
    {
        await ExecuteAsync("UPDATE \"Activity\" SET \"TargetName\" = 'nothing to see' WHERE \"AccountId\" = $a AND \"Sequence\" = 4");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(4, report.BrokenAtSequence);
        Assert.Equal("Entry 4 was changed after it was written.", report.Message);
    }

    [Fact]
    public async Task Verify_AnEntryDeletedFromTheFile_IsReportedWhereTheGapIs()
    {
        await ExecuteAsync("DELETE FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" = 3");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(4, report.BrokenAtSequence);
        Assert.Equal("Entry 3 is missing: the log jumps from entry 2 to entry 4.", report.Message);
    }

    [Fact]
    public async Task Verify_TheLastEntryDeletedAndTheRestRenumbered_IsStillCaught()
    {
        // A careful forger deletes entry 3 and renumbers 4–6 as 3–5: the hashes no longer line up.
        await ExecuteAsync("DELETE FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" = 3; UPDATE \"Activity\" SET \"Sequence\" = \"Sequence\" - 1 WHERE \"AccountId\" = $a AND \"Sequence\" > 3");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(3, report.BrokenAtSequence);
    }

    [Fact]
    public async Task Verify_TwoEntriesSwapped_IsReportedAtTheFirstOfThem()
    {
        await ExecuteAsync("UPDATE \"Activity\" SET \"Sequence\" = -1 WHERE \"AccountId\" = $a AND \"Sequence\" = 2; " +
                           "UPDATE \"Activity\" SET \"Sequence\" = 2 WHERE \"AccountId\" = $a AND \"Sequence\" = 5; " +
                           "UPDATE \"Activity\" SET \"Sequence\" = 5 WHERE \"AccountId\" = $a AND \"Sequence\" = -1");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(2, report.BrokenAtSequence);
    }

    [Fact]
    public async Task Append_ManyWritersAtOnce_KeepOneUnbrokenChain()
    {
        var activity = _host.Services.GetRequiredService<ActivityService>();

        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            activity.RecordAsync(_accountId, ActivityAction.KeyCopied, TestAccounts.Origin, targetName: $"copy {i}"))));

        var report = await Chain.VerifyAsync(_accountId);
        Assert.True(report.Intact, report.Message);
        Assert.Equal(30, report.Checked);
    }

    [Fact]
    public async Task Chains_AreSeparatePerAccount()
    {
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail, TestAccounts.Password);
        await ExecuteAsync("UPDATE \"Activity\" SET \"TargetName\" = 'x' WHERE \"AccountId\" = $a AND \"Sequence\" = 2");

        Assert.False((await Chain.VerifyAsync(_accountId)).Intact);
        Assert.True((await Chain.VerifyAsync(other.Id)).Intact);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_host.DataFolder.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", _accountId);
        await command.ExecuteNonQueryAsync();
    }
}
