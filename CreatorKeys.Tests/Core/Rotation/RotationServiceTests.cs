using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Rotation;

/// <summary>The rotation state machine against real SQLite.</summary>
public class RotationServiceTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="RotationServiceTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    private CoreHost _host = default!;
    private VaultSession _session = default!;
    private string _accountId = "";

    private RotationService Rotations => _host.Services.GetRequiredService<RotationService>();

    private WorkflowService Workflows => _host.Services.GetRequiredService<WorkflowService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        (var account, _session, _) = await _host.SignUpAsync();
        await _host.Services.ConfirmItsYouAsync(_session);
        _accountId = account.Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Start_Twice_GivesTheSameRotation()
    {
        var key = await ProdKeyAsync();

        var first = await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        var second = await Rotations.StartAsync(_accountId, key.Id, RotationReason.Other, null, TestAccounts.Origin);

        Assert.Equal(RotationStep.NewKey, first.Rotation!.Step);
        Assert.Equal(first.Rotation.Id, second.Rotation!.Id);
    }

    [Fact]
    public async Task Start_ConcurrentlyFromTwoWindows_YieldsOneRotation()
    {
        var key = await ProdKeyAsync();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
            Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin))));

        Assert.All(attempts, a => Assert.True(a.Succeeded, a.Error));
        Assert.Single(attempts.Select(a => a.Rotation!.Id).Distinct());
        await using var db = await Db();
        Assert.Equal(1, await db.Rotations.CountAsync());
    }

    [Fact]
    public async Task Start_RetiredKeyOrAnotherAccountsKey_IsRefused()
    {
        var key = await ProdKeyAsync();
        await _host.Vault.RetireKeyAsync(_accountId, key.Id, TestAccounts.Origin);

        Assert.False((await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Succeeded);
        Assert.False((await Rotations.StartAsync("someone-else", key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Succeeded);
    }

    [Fact]
    public async Task AddNewKey_StoresItPendingBesideTheCurrentOne_AndListsEveryWorkflow()
    {
        var key = await ProdKeyAsync();
        await WorkflowAsync("Avatar video", key, "OPENAI_KEY_PROD");
        await WorkflowAsync("Thumbnails", key, "OPENAI_API_KEY_PROD");
        var rotation = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var value = TestAccounts.NewKeyValue();

        var (outcome, added) = await Rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — Created 2026-11-27 (new)", value, TestAccounts.Origin);

        Assert.True(added!.Succeeded);
        Assert.Equal(RotationStep.UpdateWorkflows, outcome.Rotation!.Step);
        Assert.Equal(["Avatar video", "Thumbnails"], outcome.Rotation.Tasks.Select(t => t.WorkflowName).Order().ToArray());
        var keys = await _host.Vault.ListKeysAsync(_accountId);
        Assert.Equal(KeyStatus.Current, keys.Single(k => k.Id == key.Id).Status);
        var pending = keys.Single(k => k.Id == added.Key!.Id);
        Assert.Equal((KeyStatus.Pending, key.SlotId, VaultEnvironment.Prod, "openai"), (pending.Status, pending.SlotId, pending.Environment, pending.ProviderId));
        Assert.Equal(value, await _host.Vault.RevealAsync(_session, pending.Id, TestAccounts.Origin));
    }

    [Fact]
    public async Task ReadKey_GivesTheSlotsKeysNewestFirst_AndNothingForAnotherAccountsKey()
    {
        var key = await ProdKeyAsync();
        await _host.AddKeyAsync(_session, TestAccounts.NewKeyValue(), VaultEnvironment.Dev);
        var rotation = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        var (_, added) = await Rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — newer", TestAccounts.NewKeyValue(), TestAccounts.Origin);
        var (_, otherSession, _) = await _host.SignUpAsync("other@example.com");

        Assert.Equal([added!.Key!.Id, key.Id], (await _host.Vault.ReadKeyAsync(_accountId, key.Id)).Versions.Select(k => k.Id).ToArray());
        Assert.Equal([added.Key.Id, key.Id], (await _host.Vault.ReadKeyAsync(_accountId, added.Key.Id)).Versions.Select(k => k.Id).ToArray());
        Assert.Empty((await _host.Vault.ReadKeyAsync(otherSession.AccountId, key.Id)).Versions);
        Assert.Empty((await _host.Vault.ReadKeyAsync(_accountId, Guid.NewGuid())).Versions);
    }

    [Fact]
    public async Task ReadKey_GivesTheAskedKeysCheckAndSpend_NotAnotherVersionsNorToAnotherAccount()
    {
        var key = await ProdKeyAsync();
        var rotation = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var (_, added) = await Rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — newer", TestAccounts.NewKeyValue(), TestAccounts.Origin);
        var (_, otherSession, _) = await _host.SignUpAsync("other@example.com");
        var now = _host.Time.GetUtcNow();
        await using (var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync())
        {
            db.KeyChecks.Add(new CreatorKeys.Core.Providers.Connections.KeyCheckRecord { KeyId = key.Id, AccountId = _accountId, CheckedAt = now, Outcome = CreatorKeys.Core.Providers.Connections.KeyCheckOutcome.Works, Message = "Works." });
            db.KeySpends.Add(new CreatorKeys.Core.Providers.Connections.KeySpend { KeyId = key.Id, AccountId = _accountId, ReadAt = now, Unit = CreatorKeys.Core.Providers.Connections.SpendUnit.Dollars, UsedThisMonth = 12.4m });
            await db.SaveChangesAsync();
        }

        var details = await _host.Vault.ReadKeyAsync(_accountId, key.Id);
        Assert.Equal(2, details.Versions.Count);
        Assert.Equal(CreatorKeys.Core.Providers.Connections.KeyCheckOutcome.Works, details.LastCheck?.Outcome);
        Assert.Equal((12.4m, key.Label), (details.Spend?.UsedThisMonth, details.Spend?.Label));
        // The newer version has readings of its own (none yet): the old key's are never shown as its.
        var newer = await _host.Vault.ReadKeyAsync(_accountId, added!.Key!.Id);
        Assert.Equal((2, null, null), (newer.Versions.Count, newer.LastCheck, newer.Spend));
        var theirs = await _host.Vault.ReadKeyAsync(otherSession.AccountId, key.Id);
        Assert.Equal((0, null, null), (theirs.Versions.Count, theirs.LastCheck, theirs.Spend));
    }

    [Fact]
    public async Task AddNewKey_SameValueAsTheOldKey_IsRefusedAndStepStays()
    {
        var value = TestAccounts.NewKeyValue();
        var key = await ProdKeyAsync(value);
        var rotation = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;

        var (outcome, added) = await Rotations.AddNewKeyAsync(_session, rotation.Id, "new", value, TestAccounts.Origin);

        Assert.False(added!.Succeeded);
        Assert.Contains("already in your vault", added.Errors[nameof(NewKeyInput.Value)], StringComparison.Ordinal);
        Assert.Equal(RotationStep.NewKey, outcome.Rotation!.Step);
    }

    [Fact]
    public async Task Retire_RefusedWhileAWorkflowIsUntested_AllowedOnceAllAreTested()
    {
        var (rotation, key, _) = await RotationAtChecklistAsync(workflows: 2);

        var early = await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin);
        Assert.False(early.Succeeded);
        Assert.Contains("Not every workflow is updated and tested", early.Error, StringComparison.Ordinal);
        Assert.False((await Rotations.ContinueToRetireAsync(_accountId, rotation.Id)).Succeeded);

        // Tested before updated is refused too.
        var task = rotation.Tasks[0];
        Assert.False((await Rotations.SetTestedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin)).Succeeded);

        foreach (var t in rotation.Tasks)
        {
            Assert.True((await Rotations.SetUpdatedAsync(_accountId, rotation.Id, t.Id, true, TestAccounts.Origin)).Succeeded);
            Assert.True((await Rotations.SetTestedAsync(_accountId, rotation.Id, t.Id, true, TestAccounts.Origin)).Succeeded);
        }

        Assert.True((await Rotations.ContinueToRetireAsync(_accountId, rotation.Id)).Succeeded);
        var retired = await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin);
        Assert.True(retired.Succeeded, retired.Error);
        Assert.Equal(RotationStep.DeleteAtProvider, retired.Rotation!.Step);
        Assert.False(retired.Rotation.OverrideUsed);
        Assert.All(await Workflows.ListAsync(_accountId), w => Assert.Equal(rotation.NewKeyId, Assert.Single(w.KeyUses).KeyId));
        Assert.Empty(await Workflows.UsingKeyAsync(_accountId, key.Id));
    }

    [Fact]
    public async Task UntickingUpdated_AlsoUnticksTested()
    {
        var (rotation, _, _) = await RotationAtChecklistAsync(workflows: 1);
        var task = rotation.Tasks.Single();
        await Rotations.SetUpdatedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);
        await Rotations.SetTestedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);

        var outcome = await Rotations.SetUpdatedAsync(_accountId, rotation.Id, task.Id, false, TestAccounts.Origin);

        Assert.False(outcome.Rotation!.Tasks.Single().IsTested);
    }

    [Fact]
    public async Task UrgentOverride_NeedsTheKeysExactName_AndIsRecorded()
    {
        var key = await ProdKeyAsync(label: "PROD — OpenAI — main");
        await WorkflowAsync("Avatar video", key, "OPENAI_KEY_PROD");
        var rotation = (await Rotations.MarkCompromisedAsync(_accountId, key.Id, TestAccounts.Origin)).Rotation!;
        await Rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — replacement", TestAccounts.NewKeyValue(), TestAccounts.Origin);

        var wrong = await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, "prod — openai — main", TestAccounts.Origin);
        var right = await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, "PROD — OpenAI — main", TestAccounts.Origin);

        Assert.True(rotation.Urgent);
        Assert.Contains("type its name", wrong.Error, StringComparison.Ordinal);
        Assert.True(right.Succeeded, right.Error);
        Assert.True(right.Rotation!.OverrideUsed);
        var activity = await _host.Services.GetRequiredService<ActivityService>().ListRecentAsync(_accountId, 50);
        Assert.Contains(activity, e => e.Action == ActivityAction.RotationOverrideUsed && e.TargetId == key.Id.ToString());
        Assert.Contains(activity, e => e.Action == ActivityAction.KeyMarkedCompromised);
        // The workflow that was never updated still points at the old key, and the checks say so.
        Assert.Contains(await Workflows.CheckAsync(_accountId), i => i.Kind == WorkflowIssueKind.RetiredKeyInUse);
    }

    [Fact]
    public async Task Complete_MakesTheNewKeyCurrentAndKeepsTheOldAsPrevious()
    {
        var oldValue = TestAccounts.NewKeyValue();
        var (rotation, key, _) = await RotationAtChecklistAsync(workflows: 1, oldValue: oldValue);
        await TickAllAsync(rotation);
        await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin);
        _host.Time.Advance(TimeSpan.FromHours(1));

        var done = await Rotations.CompleteAsync(_accountId, rotation.Id, TestAccounts.Origin);

        Assert.True(done.Succeeded, done.Error);
        Assert.Equal((RotationStep.Completed, false), (done.Rotation!.Step, done.Rotation.IsActive));
        var keys = await _host.Vault.ListKeysAsync(_accountId);
        Assert.Equal(KeyStatus.Previous, keys.Single(k => k.Id == key.Id).Status);
        Assert.Equal(KeyStatus.Current, keys.Single(k => k.Id == rotation.NewKeyId).Status);
        // Days passed during the rotation: the "confirm it's you" window of the set-up is long closed.
        await _host.Services.ConfirmItsYouAsync(_session);
        Assert.Equal(oldValue, await _host.Vault.RevealAsync(_session, key.Id, TestAccounts.Origin));
        await using var db = await Db();
        Assert.Equal(_host.Time.GetUtcNow(), (await db.ApiKeys.SingleAsync(k => k.Id == rotation.NewKeyId)).RotatedInAt);
        Assert.False((await Rotations.CancelAsync(_accountId, rotation.Id, TestAccounts.Origin)).Succeeded);
        // A new rotation of the same slot starts from the new key.
        Assert.True((await Rotations.StartAsync(_accountId, rotation.NewKeyId!.Value, RotationReason.Scheduled, null, TestAccounts.Origin)).Succeeded);
        Assert.Equal(2, (await Rotations.HistoryAsync(_accountId, key.SlotId)).Count);
    }

    [Fact]
    public async Task Cancel_BeforeRetiring_RestoresEverything()
    {
        var (rotation, key, workflow) = await RotationAtChecklistAsync(workflows: 1);
        await Rotations.SetUpdatedAsync(_accountId, rotation.Id, rotation.Tasks[0].Id, true, TestAccounts.Origin);
        var keysBefore = (await _host.Vault.ListKeysAsync(_accountId)).Where(k => k.Id != rotation.NewKeyId).ToList();

        var cancelled = await Rotations.CancelAsync(_accountId, rotation.Id, TestAccounts.Origin);

        Assert.True(cancelled.Succeeded);
        Assert.Equal(RotationStep.Cancelled, cancelled.Rotation!.Step);
        Assert.Equal(keysBefore, await _host.Vault.ListKeysAsync(_accountId));
        Assert.Equal(key.Id, Assert.Single((await Workflows.FindAsync(_accountId, workflow.Id))!.KeyUses).KeyId);
        await using var db = await Db();
        Assert.Empty(await db.RotationTasks.ToListAsync());
        Assert.True((await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Succeeded);
    }

    [Fact]
    public async Task Cancel_AfterRetiring_IsRefused()
    {
        var (rotation, _, _) = await RotationAtChecklistAsync(workflows: 0);
        await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin);

        var cancel = await Rotations.CancelAsync(_accountId, rotation.Id, TestAccounts.Origin);

        Assert.Contains("can only be finished", cancel.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checklist_FollowsWorkflowsRecordedDuringTheRotation()
    {
        var (rotation, key, _) = await RotationAtChecklistAsync(workflows: 1);

        await WorkflowAsync("Added later", key, "OPENAI_KEY_PROD");
        var reloaded = await Rotations.GetAsync(_accountId, rotation.Id);

        Assert.Equal(2, reloaded!.Tasks.Count);
        Assert.Contains(reloaded.Tasks, t => t.WorkflowName == "Added later");
    }

    [Fact]
    public async Task Resume_AfterARestart_ContinuesAtTheSameStep()
    {
        var (rotation, _, _) = await RotationAtChecklistAsync(workflows: 2);
        await Rotations.SetUpdatedAsync(_accountId, rotation.Id, rotation.Tasks[0].Id, true, TestAccounts.Origin);
        var folder = _host.KeepFolderOnDispose();
        await _host.DisposeAsync();

        _host = await CoreHost.StartAsync(Provider, folder: folder);
        var resumed = await Rotations.GetAsync(_accountId, rotation.Id);

        Assert.Equal(RotationStep.UpdateWorkflows, resumed!.Step);
        Assert.Equal(1, resumed.Tasks.Count(t => t.IsUpdated));
        Assert.Single(await Rotations.ListActiveAsync(_accountId));
        await TickAllAsync(resumed);
        Assert.True((await Rotations.RetireOldKeyAsync(_accountId, rotation.Id, null, TestAccounts.Origin)).Succeeded);
        Assert.True((await Rotations.CompleteAsync(_accountId, rotation.Id, TestAccounts.Origin)).Succeeded);
        folder.Dispose();
    }

    [Fact]
    public async Task MarkCompromised_EscalatesARunningRotation()
    {
        var key = await ProdKeyAsync();
        var scheduled = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;

        var urgent = await Rotations.MarkCompromisedAsync(_accountId, key.Id, TestAccounts.Origin);

        Assert.Equal(scheduled.Id, urgent.Rotation!.Id);
        Assert.True(urgent.Rotation.Urgent);
        Assert.Equal(RotationReason.SuspectedLeak, urgent.Rotation.Reason);
        Assert.True((await _host.Vault.ListKeysAsync(_accountId)).Single().IsCompromised);
    }

    [Fact]
    public async Task AnotherAccount_CannotSeeOrMoveARotation()
    {
        var (rotation, _, _) = await RotationAtChecklistAsync(workflows: 1);
        var (other, _, _) = await _host.SignUpAsync(TestAccounts.OtherEmail);

        Assert.Null(await Rotations.GetAsync(other.Id, rotation.Id));
        Assert.False((await Rotations.SetUpdatedAsync(other.Id, rotation.Id, rotation.Tasks[0].Id, true, TestAccounts.Origin)).Succeeded);
        Assert.False((await Rotations.CancelAsync(other.Id, rotation.Id, TestAccounts.Origin)).Succeeded);
        Assert.Empty(await Rotations.ListActiveAsync(other.Id));
    }

    private async Task<KeySummary> ProdKeyAsync(string? value = null, string label = "PROD — OpenAI — Created 2026-11-27") =>
        (await _host.Vault.AddKeyAsync(_session, new NewKeyInput(null, VaultEnvironment.Prod, label, value ?? TestAccounts.NewKeyValue(), "openai"), TestAccounts.Origin)).Key!;

    private async Task<Workflow> WorkflowAsync(string name, KeySummary key, string variable) =>
        (await Workflows.SaveAsync(_accountId, null, new WorkflowInput(name, WorkflowPlatform.Make, key.Environment, null, null, [new KeyUseInput(key.Id, variable)]), TestAccounts.Origin)).Workflow!;

    private async Task<(KeyRotation Rotation, KeySummary OldKey, Workflow Workflow)> RotationAtChecklistAsync(int workflows, string? oldValue = null)
    {
        var key = await ProdKeyAsync(oldValue);
        Workflow? first = null;
        for (var i = 0; i < workflows; i++)
        {
            var workflow = await WorkflowAsync($"Workflow {i + 1}", key, $"OPENAI_KEY_PROD_{i + 1}");
            first ??= workflow;
        }

        var rotation = (await Rotations.StartAsync(_accountId, key.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;
        var (outcome, _) = await Rotations.AddNewKeyAsync(_session, rotation.Id, "PROD — OpenAI — replacement", TestAccounts.NewKeyValue(), TestAccounts.Origin);
        return (outcome.Rotation!, key, first!);
    }

    private async Task TickAllAsync(KeyRotation rotation)
    {
        foreach (var task in rotation.Tasks)
        {
            await Rotations.SetUpdatedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);
            await Rotations.SetTestedAsync(_accountId, rotation.Id, task.Id, true, TestAccounts.Origin);
        }
    }

    private async Task<CreatorKeysDbContext> Db() =>
        await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class RotationServiceTestsOnPostgreSql : RotationServiceTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
