using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

    [Fact]
    public async Task Verify_AnEntryChangedAndTheWholeChainRecomputedWithoutTheKey_IsCaught()
    {
        // Someone who can write the database but not read the server's key: change entry 3, then redo every hash after it.
        await ExecuteAsync("UPDATE \"Activity\" SET \"TargetName\" = 'nothing to see' WHERE \"AccountId\" = $a AND \"Sequence\" = 3");
        await RecomputeWithoutTheKeyAsync(sealVersion: 1);

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(1, report.BrokenAtSequence);
        Assert.Equal("Entry 1 was changed after it was written.", report.Message);
    }

    [Fact]
    public async Task Verify_TheWholeLogRewrittenAsAnOlderUnkeyedLog_IsNotIntact()
    {
        // The same forger marks every entry as written before the key existed (plain SHA-256).
        await ExecuteAsync("UPDATE \"Activity\" SET \"TargetName\" = 'nothing to see' WHERE \"AccountId\" = $a AND \"Sequence\" = 3");
        await RecomputeWithoutTheKeyAsync(sealVersion: 0);

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact, report.Message);
        Assert.Contains("checkpoint", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TheNewestEntriesDeleted_SaysHowManyAreMissing()
    {
        await ExecuteAsync("DELETE FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" > 4");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Equal(2, report.MissingNewest);
        Assert.Equal("The newest 2 entries are missing: the log ends at entry 4, but it had reached entry 6.", report.Message);
    }

    [Fact]
    public async Task Verify_TheNewestEntryDeletedAndTheCheckpointMovedBack_IsCaught()
    {
        // The forger also rewinds the checkpoint, copying the hash of what is now the last entry: its seal needs the key.
        await ExecuteAsync("DELETE FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" = 6; " +
                           "UPDATE \"ActivityCheckpoints\" SET \"Sequence\" = 5, \"Seal\" = (SELECT \"Hash\" FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" = 5) WHERE \"AccountId\" = $a");

        var report = await Chain.VerifyAsync(_accountId);

        Assert.False(report.Intact);
        Assert.Contains("checkpoint", report.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_TheNewestEntriesAndTheCheckpointDeleted_IsCaughtByTheCodeTheCreatorKept()
    {
        var kept = (await Chain.CurrentCheckpointAsync(_accountId))!.Code;
        await ExecuteAsync("DELETE FROM \"Activity\" WHERE \"AccountId\" = $a AND \"Sequence\" > 3; DELETE FROM \"ActivityCheckpoints\" WHERE \"AccountId\" = $a");

        var report = await Chain.VerifyAsync(_accountId, kept);

        Assert.False(report.Intact);
        Assert.Equal(3, report.MissingNewest);
        Assert.Equal("The newest 3 entries are missing: the code you kept is for entry 6, but the log ends at entry 3.", report.Message);
    }

    [Fact]
    public async Task Verify_WithAKeptCode_ProvesNothingUpToItChanged_AndLaterEntriesStillCount()
    {
        var kept = (await Chain.CurrentCheckpointAsync(_accountId))!.Code;
        await _host.Services.GetRequiredService<ActivityService>().RecordAsync(_accountId, ActivityAction.KeyCopied, TestAccounts.Origin, targetName: "later");

        var report = await Chain.VerifyAsync(_accountId, kept);

        Assert.True(report.Intact, report.Message);
        Assert.True(report.KeptCodeConfirmed);
        Assert.Equal(6, kept.Sequence);
        Assert.Equal("Intact: all 7 entries are as they were written. Your code proves nothing up to entry 6 was changed, removed or reordered.", report.Message);
    }

    [Fact]
    public async Task Verify_AKeptCodeThatDoesNotMatch_IsNotIntact()
    {
        var kept = (await Chain.CurrentCheckpointAsync(_accountId))!.Code;
        var wrong = kept with { Tag = kept.Tag[0] == '0' ? "1" + kept.Tag[1..] : "0" + kept.Tag[1..] };

        var report = await Chain.VerifyAsync(_accountId, wrong);

        Assert.False(report.Intact);
        Assert.Equal(6, report.BrokenAtSequence);
    }

    [Theory]
    [InlineData("42-7F3A-9C1B", 42L, "7F3A9C1B")]
    [InlineData(" 42 - 7f3a - 9c1b ", 42L, "7F3A9C1B")]
    [InlineData("7-00ff00ff", 7L, "00FF00FF")]
    public void CheckpointCode_AsTyped_IsRead(string typed, long sequence, string tag)
    {
        Assert.True(ActivityCheckpointCode.TryParse(typed, out var code));
        Assert.Equal(new ActivityCheckpointCode(sequence, tag), code);
        Assert.Equal($"{sequence}-{tag[..4]}-{tag[4..]}", code!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("42")]
    [InlineData("0-7F3A-9C1B")]
    [InlineData("42-7F3A-9C1")]
    [InlineData("42-7G3A-9C1B")]
    [InlineData("-1-7F3A-9C1B")]
    [InlineData("4242424242424-7F3A-9C1B")]
    public void CheckpointCode_Malformed_IsRefused(string typed) =>
        Assert.False(ActivityCheckpointCode.TryParse(typed, out _));

    [Fact]
    public async Task SealKey_IsAFileOutsideTheDatabase_ReadableByTheAppOnly()
    {
        var file = _host.Services.GetRequiredService<ActivitySealKey>().FilePath;

        Assert.StartsWith(_host.DataFolder.KeyRingPath, file, StringComparison.Ordinal);
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task OlderUnkeyedLog_IsResealedWithTheKeyAtStart_AndABrokenOneIsLeftToShowWhereItBroke()
    {
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail, TestAccounts.Password);
        // Both logs as an older CreatorKeys wrote them: plain SHA-256, no checkpoint. The other one was tampered with then.
        await RecomputeWithoutTheKeyAsync(sealVersion: 0);
        await RecomputeWithoutTheKeyAsync(sealVersion: 0, other.Id);
        await ExecuteAsync("DELETE FROM \"ActivityCheckpoints\"; UPDATE \"Activity\" SET \"TargetName\" = 'edited' WHERE \"AccountId\" = '" + other.Id + "'");

        var folder = _host.KeepFolderOnDispose();
        await _host.DisposeAsync();
        _host = await CoreHost.StartAsync(folder: folder);
        _host.KeepFolderOnDispose();

        var mine = await Chain.VerifyAsync(_accountId);
        var theirs = await Chain.VerifyAsync(other.Id);
        Assert.True(mine.Intact, mine.Message);
        Assert.False(theirs.Intact);
        Assert.Equal(1, theirs.BrokenAtSequence);
        folder.Dispose();
    }

    /// <summary>Re-hashes an account's whole log with the public, unkeyed SHA-256 formula, as a forger without the key can.</summary>
    private async Task RecomputeWithoutTheKeyAsync(int sealVersion, string? accountId = null)
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var previous = ActivityChain.Genesis;
        foreach (var entry in await db.Activity.Where(e => e.AccountId == (accountId ?? _accountId)).OrderBy(e => e.Sequence).ToListAsync())
        {
            entry.SealVersion = sealVersion;
            entry.PreviousHash = previous;
            entry.Hash = ActivityChain.HashOf(entry, previous);
            previous = entry.Hash;
        }

        await db.SaveChangesAsync();
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
