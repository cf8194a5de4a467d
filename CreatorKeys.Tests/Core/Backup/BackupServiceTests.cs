using System.Text;
using System.Text.Json.Nodes;
using CreatorKeys.Core.Backup;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Backup;

/// <summary>The encrypted backup: a round trip to another install, and every way a file can be wrong.</summary>
public sealed class BackupServiceTests : IAsyncLifetime
{
    private const string Passphrase = "lantern orbit pickle meadow";

    private CoreHost _source = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    public async Task InitializeAsync()
    {
        _source = await CoreHost.StartAsync();
        (var account, _session, _) = await _source.SignUpAsync();
        await _source.Services.ConfirmItsYouAsync(_session);
        _accountId = account.Id;
    }

    public async Task DisposeAsync() => await _source.DisposeAsync();

    [Fact]
    public async Task RoundTrip_ToAnotherInstall_EveryValueRevealsIdentically_AndEveryLinkHolds()
    {
        var values = new Dictionary<string, string>();
        async Task<KeySummary> Add(string provider, VaultEnvironment environment, string label)
        {
            var value = TestAccounts.NewKeyValue();
            values[label] = value;
            var result = await _source.Vault.AddKeyAsync(_session, new NewKeyInput(provider, environment, label, value, MonthlyCapUsd: 25, CapSetAtProvider: true), TestAccounts.Origin, acceptShapeWarning: true);
            Assert.True(result.Succeeded);
            return result.Key!;
        }

        var prod = await Add("OpenAI", VaultEnvironment.Prod, "PROD — OpenAI — first");
        await Add("OpenAI", VaultEnvironment.Dev, "DEV — OpenAI");
        var (custom, _) = await _source.Services.GetRequiredService<ProviderService>().AddCustomAsync(_accountId, "Kling", "https://kling.example/keys", null, TestAccounts.Origin);
        await Add(custom!.Name, VaultEnvironment.Staging, "STAGING — Kling");
        var workflows = _source.Services.GetRequiredService<WorkflowService>();
        await workflows.SaveAsync(_accountId, null, new WorkflowInput("Avatar video", WorkflowPlatform.Make, VaultEnvironment.Prod, "https://make.com/s/1", "daily", [new KeyUseInput(prod.Id, "OPENAI_KEY_PROD")]), TestAccounts.Origin);

        // A completed rotation, so the PROD slot has a previous and a current version.
        var rotations = _source.Services.GetRequiredService<RotationService>();
        var rotation = (await rotations.StartAsync(_accountId, prod.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var replacement = TestAccounts.NewKeyValue();
        values["PROD — OpenAI — second"] = replacement;
        await rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — second", replacement, TestAccounts.Origin);
        rotation = (await rotations.GetAsync(_accountId, rotation.Id))!;
        foreach (var task in rotation.Tasks)
        {
            await rotations.SetUpdatedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);
            await rotations.SetTestedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);
        }

        Assert.True((await rotations.ContinueToRetireAsync(_accountId, rotation.Id)).Succeeded);
        Assert.True((await rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin)).Succeeded);
        Assert.True((await rotations.CompleteAsync(_accountId, rotation.Id, TestAccounts.Origin)).Succeeded);

        var backup = await _source.Services.GetRequiredService<BackupService>().CreateAsync(_session, Passphrase, TestAccounts.Origin);
        Assert.True(backup.Succeeded, backup.Error);
        AssertNoValueIn(backup.Content!, values.Values);

        await using var target = await CoreHost.StartAsync();
        var (_, targetSession, _) = await target.SignUpAsync("restored@example.com");
        await target.Services.ConfirmItsYouAsync(targetSession);
        var restored = await target.Services.GetRequiredService<BackupService>().RestoreAsync(targetSession, backup.Content!, Passphrase, TestAccounts.Origin);

        Assert.True(restored.Succeeded, restored.Error);
        Assert.Equal((4, 1), (restored.Keys, restored.Workflows));
        var keys = await target.Vault.ListKeysAsync(targetSession.AccountId);
        Assert.Equal(values.Keys.Order(), keys.Select(k => k.Label).Order());
        foreach (var key in keys)
        {
            Assert.Equal(values[key.Label], await target.Vault.RevealAsync(targetSession, key.Id, TestAccounts.Origin));
        }

        var first = keys.Single(k => k.Label == "PROD — OpenAI — first");
        var second = keys.Single(k => k.Label == "PROD — OpenAI — second");
        Assert.Equal((KeyStatus.Previous, KeyStatus.Current), (first.Status, second.Status));
        Assert.Equal(first.SlotId, second.SlotId);
        Assert.Single(await target.Services.GetRequiredService<RotationService>().HistoryAsync(targetSession.AccountId, second.SlotId));
        var workflow = Assert.Single(await target.Services.GetRequiredService<WorkflowService>().ListAsync(targetSession.AccountId));
        Assert.Equal(("Avatar video", "https://make.com/s/1"), (workflow.Name, workflow.Location));
        Assert.Equal(second.Id, Assert.Single(workflow.KeyUses).KeyId);
        Assert.Contains(await target.Services.GetRequiredService<ProviderService>().ListAsync(targetSession.AccountId), p => p.Name == "Kling");
        Assert.Equal(25m, second.MonthlyCapUsd);
    }

    [Fact]
    public async Task RoundTrip_IntoASecondAccountOnTheSameInstall_GetsItsOwnIds()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = await CreateAsync();
        await using var other = await CoreHost.StartAsync(new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" }, _source.KeepFolderOnDispose());
        // Same data folder: a restart of the same install with a second account.
        await _source.DisposeAsync();
        var (_, secondSession, _) = await other.SignUpAsync(TestAccounts.OtherEmail);
        await other.Services.ConfirmItsYouAsync(secondSession);

        var restored = await other.Services.GetRequiredService<BackupService>().RestoreAsync(secondSession, backup, Passphrase, TestAccounts.Origin);

        Assert.True(restored.Succeeded, restored.Error);
        var mine = await other.Vault.ListKeysAsync(_accountId);
        var theirs = await other.Vault.ListKeysAsync(secondSession.AccountId);
        Assert.NotEqual(Assert.Single(mine).Id, Assert.Single(theirs).Id);
        _source = other;
    }

    [Fact]
    public async Task Restore_WrongPassphrase_SaysSo_AndChangesNothing()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = await CreateAsync();

        var (target, session) = await EmptyTargetAsync();
        await using var _ = target;
        var result = await target.Services.GetRequiredService<BackupService>().RestoreAsync(session, backup, "lantern orbit pickle meadows", TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.Equal(BackupFile.WrongPassphraseMessage, result.Error);
        Assert.Empty(await target.Vault.ListKeysAsync(session.AccountId));
    }

    [Fact]
    public async Task Restore_NoPassphrase_AsksForIt()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = await CreateAsync();

        var (target, session) = await EmptyTargetAsync();
        await using var _ = target;
        var result = await target.Services.GetRequiredService<BackupService>().RestoreAsync(session, backup, "", TestAccounts.Origin);

        Assert.Equal("Type the passphrase that was chosen when this backup was made.", result.Error);
    }

    [Fact]
    public async Task Restore_TruncatedFile_SaysItIsIncomplete()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = await CreateAsync();

        var result = await RestoreIntoEmptyAsync(backup[..(backup.Length / 2)]);

        Assert.Equal("This file is not a complete CreatorKeys backup: it may have been cut off while copying, or it is another kind of file.", result.Error);
    }

    [Theory]
    [InlineData("data")]
    [InlineData("createdAt")]
    [InlineData("iterations")]
    public async Task Restore_AlteredFile_IsRefusedAsChanged(string field)
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = JsonNode.Parse(await CreateAsync())!;
        switch (field)
        {
            case "data":
                var data = Convert.FromBase64String(backup["data"]!.GetValue<string>());
                data[^5] ^= 0x01;
                backup["data"] = Convert.ToBase64String(data);
                break;
            case "createdAt":
                backup["createdAt"] = "2020-01-01T00:00:00+00:00";
                break;
            default:
                backup["kdf"]!["iterations"] = backup["kdf"]!["iterations"]!.GetValue<int>() + 1;
                break;
        }

        var result = await RestoreIntoEmptyAsync(Encoding.UTF8.GetBytes(backup.ToJsonString()));

        Assert.False(result.Succeeded);
        // A changed iteration count derives another key: to the reader that is indistinguishable from a wrong passphrase.
        Assert.Equal(
            field == "iterations"
                ? BackupFile.WrongPassphraseMessage
                : "This backup was changed or damaged after it was made, so it cannot be trusted. Nothing was restored; use another copy of it.",
            result.Error);
    }

    [Fact]
    public async Task Restore_NewerFormat_AsksToUpdateTheApp()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = JsonNode.Parse(await CreateAsync())!;
        backup["formatVersion"] = 2;

        var result = await RestoreIntoEmptyAsync(Encoding.UTF8.GetBytes(backup.ToJsonString()));

        Assert.Equal("This backup was made by a newer version of CreatorKeys (backup format 2; this app reads format 1). Update CreatorKeys, then restore it.", result.Error);
    }

    [Fact]
    public async Task Restore_IntoAVaultThatHasKeys_IsRefused_AndChangesNothing()
    {
        await AddKeyAsync("PROD — OpenAI — only");
        var backup = await CreateAsync();

        var result = await _source.Services.GetRequiredService<BackupService>().RestoreAsync(_session, backup, Passphrase, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.StartsWith("A backup can only be restored into an empty vault", result.Error, StringComparison.Ordinal);
        Assert.Single(await _source.Vault.ListKeysAsync(_accountId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short one")]
    public async Task Create_WeakPassphrase_IsRefused(string passphrase)
    {
        var result = await _source.Services.GetRequiredService<BackupService>().CreateAsync(_session, passphrase, TestAccounts.Origin);

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Error);
    }

    private async Task AddKeyAsync(string label)
    {
        var result = await _source.Vault.AddKeyAsync(_session, new NewKeyInput("OpenAI", VaultEnvironment.Prod, label, TestAccounts.NewKeyValue()), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded);
    }

    private async Task<byte[]> CreateAsync()
    {
        var backup = await _source.Services.GetRequiredService<BackupService>().CreateAsync(_session, Passphrase, TestAccounts.Origin);
        Assert.True(backup.Succeeded, backup.Error);
        return backup.Content!;
    }

    private static async Task<(CoreHost Host, VaultSession Session)> EmptyTargetAsync()
    {
        var target = await CoreHost.StartAsync();
        var (_, session, _) = await target.SignUpAsync("restored@example.com");
        await target.Services.ConfirmItsYouAsync(session);
        return (target, session);
    }

    private static async Task<BackupRestoreResult> RestoreIntoEmptyAsync(byte[] file)
    {
        var (target, session) = await EmptyTargetAsync();
        await using var _ = target;
        var result = await target.Services.GetRequiredService<BackupService>().RestoreAsync(session, file, Passphrase, TestAccounts.Origin);
        Assert.Empty(await target.Vault.ListKeysAsync(session.AccountId));
        return result;
    }

    private static void AssertNoValueIn(byte[] file, IEnumerable<string> values)
    {
        var text = Encoding.UTF8.GetString(file);
        foreach (var value in values)
        {
            for (var i = 0; i + 8 <= value.Length; i++)
            {
                Assert.DoesNotContain(value.Substring(i, 8), text, StringComparison.Ordinal);
            }
        }
    }
}
