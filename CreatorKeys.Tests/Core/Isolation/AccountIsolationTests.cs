using System.Reflection;
using System.Text.Json;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Reminders;
using CreatorKeys.Core.Rotation;
using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;
using CreatorKeys.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CreatorKeys.Tests.Core.Isolation;

/// <summary>
/// Two accounts on one install: every service method that takes an id answers account B with
/// "not found" (or a refusal) for account A's keys, workflows, rotations and reminders, and
/// account A's data is byte-for-byte the same afterwards. A reflection check keeps the list
/// complete: a new id-taking service method fails the suite until it is added here.
/// </summary>
public class AccountIsolationTests : IAsyncLifetime
{
    /// <summary>The database these tests run on; <see cref="AccountIsolationTestsOnPostgreSql"/> runs them all again on PostgreSQL.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>Each public service method with an id (or a list of ids) parameter, as "Type.Method". Keep in step with <see cref="CallsAsB"/>.</summary>
    private static readonly string[] Covered =
    [
        "VaultService.RevealAsync", "VaultService.CopyAsync", "VaultService.UpdateKeyAsync", "VaultService.UpdateCapAsync",
        "VaultService.RetireKeyAsync", "VaultService.DeleteAsync", "VaultService.FindKeysAsync",
        "RotationService.StartAsync", "RotationService.MarkCompromisedAsync", "RotationService.GetAsync", "RotationService.HistoryAsync",
        "RotationService.AddNewKeyAsync", "RotationService.SetUpdatedAsync", "RotationService.SetTestedAsync",
        "RotationService.ContinueToRetireAsync", "RotationService.RetireOldKeyAsync", "RotationService.CompleteAsync", "RotationService.CancelAsync",
        "WorkflowService.FindAsync", "WorkflowService.UsingKeyAsync", "WorkflowService.SaveAsync", "WorkflowService.DeleteAsync",
        "RotationPolicyService.SetPolicyAsync", "ReminderService.MarkReadAsync",
        "VaultService.ReadKeyAsync", "ExportNameService.GetAsync", "ExportNameService.RenameAsync", "AccessTokenService.SetKeyMockAsync",
        "VaultService.SetManagementKeyAsync", "VaultService.SetProviderKeyIdAsync",
        "ProviderRotationService.ListProjectsAsync", "ProviderRotationService.CreateNewKeyAsync", "ProviderRotationService.DeleteOrphanAsync",
        "ProviderRotationService.DeleteOrphanAndCancelAsync",
        "ProviderRotationService.ForgetOrphanAsync", "ProviderRotationService.RetireOldKeyAsync",
    ];

    private CoreHost _host = default!;
    private VaultSession _a = default!;
    private VaultSession _b = default!;
    private KeySummary _aKey = default!;
    private KeySummary _aDueKey = default!;
    private KeySummary _bKey = default!;
    private Workflow _aWorkflow = default!;
    private KeyRotation _aRotation = default!;
    private KeyRotation _aWaitingRotation = default!;
    private Guid _aReminderId;

    private RotationService Rotations => _host.Services.GetRequiredService<RotationService>();

    private WorkflowService Workflows => _host.Services.GetRequiredService<WorkflowService>();

    public async Task InitializeAsync()
    {
        _host = await CoreHost.StartAsync(Provider, new Dictionary<string, string?> { ["CreatorKeys:Accounts:Registration"] = "Open" });
        (_, _a, _) = await _host.SignUpAsync("a@example.com");
        await _host.Services.ConfirmItsYouAsync(_a);
        (_, _b, _) = await _host.SignUpAsync("b@example.com");
        await _host.Services.ConfirmItsYouAsync(_b);
        _aKey = await _host.AddKeyAsync(_a, TestAccounts.NewKeyValue(), label: "PROD — OpenAI — account A");
        _aDueKey = await _host.AddKeyAsync(_a, TestAccounts.NewKeyValue(), VaultEnvironment.Prod, "Anthropic", "PROD — Anthropic — account A");
        _bKey = await _host.AddKeyAsync(_b, TestAccounts.NewKeyValue(), label: "PROD — OpenAI — account B");

        var (workflow, errors) = await Workflows.SaveAsync(_a.AccountId, null, new WorkflowInput("A's video pipeline", WorkflowPlatform.Make, VaultEnvironment.Prod, "make.com/a", null, [new KeyUseInput(_aKey.Id, "OPENAI_API_KEY")]), TestAccounts.Origin);
        Assert.True(errors.Count == 0, string.Join(" ", errors.Values));
        _aWorkflow = workflow!;
        var started = await Rotations.StartAsync(_a.AccountId, _aKey.Id, RotationReason.Scheduled, null, TestAccounts.Origin);
        Assert.True(started.Succeeded, started.Error);
        // A's rotation has its new key, so it has a task per workflow; a second one waits for its new key.
        Assert.True((await Rotations.AddNewKeyAsync(_a, started.Rotation!.Id, "PROD — OpenAI — account A (new)", TestAccounts.NewKeyValue(), TestAccounts.Origin, acceptShapeWarning: true)).Outcome.Succeeded);
        _aRotation = (await Rotations.GetAsync(_a.AccountId, started.Rotation!.Id))!;
        var waitingKey = await _host.AddKeyAsync(_a, TestAccounts.NewKeyValue(), VaultEnvironment.Dev, "ElevenLabs", "DEV — ElevenLabs — account A");
        _aWaitingRotation = (await Rotations.StartAsync(_a.AccountId, waitingKey.Id, RotationReason.Scheduled, null, TestAccounts.Origin)).Rotation!;

        // A reminder of A's: a key due in a day, and the daily check.
        var policy = await _host.Services.GetRequiredService<RotationPolicyService>().SetPolicyAsync(_a.AccountId, _aDueKey.Id, 1, TestAccounts.Origin);
        Assert.True(policy.Succeeded, policy.Error);
        _host.Time.Advance(TimeSpan.FromDays(2));
        await _host.Services.GetRequiredService<ReminderService>().CheckAsync();
        _aReminderId = (await _host.Services.GetRequiredService<ReminderService>().ListNotificationsAsync(_a.AccountId))[0].Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void EveryIdTakingServiceMethod_IsInTheIsolationList()
    {
        var found = typeof(VaultService).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && t.Name.EndsWith("Service", StringComparison.Ordinal))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Guid) || p.ParameterType == typeof(Guid?) || typeof(IEnumerable<Guid>).IsAssignableFrom(p.ParameterType)))
                .Select(m => $"{t.Name}.{m.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(Covered.Order(StringComparer.Ordinal).ToList(), found);
    }

    [Fact]
    public async Task AccountB_GetsNotFound_ForEveryIdOfAccountA_AndChangesNothing()
    {
        var before = await SnapshotOfAAsync();

        var leaks = new List<string>();
        foreach (var (name, call) in CallsAsB())
        {
            if (!await call())
            {
                leaks.Add(name);
            }
        }

        Assert.True(leaks.Count == 0, "Account B reached account A's data through: " + string.Join(", ", leaks));
        Assert.Equal(before, await SnapshotOfAAsync());
        Assert.Equal(CallsAsB().Select(c => c.Name).Distinct().Order(StringComparer.Ordinal), Covered.Order(StringComparer.Ordinal));
    }

    /// <summary>Each call made as account B with account A's ids; true when B got "not found" or a refusal.</summary>
    private IEnumerable<(string Name, Func<Task<bool>> Call)> CallsAsB()
    {
        var b = _b.AccountId;
        var origin = TestAccounts.Origin;
        var task = _aRotation.Tasks.Single();
        var vault = _host.Vault;
        yield return ("VaultService.RevealAsync", async () => await vault.RevealAsync(_b, _aKey.Id, origin) is null);
        yield return ("VaultService.CopyAsync", async () => await vault.CopyAsync(_b, _aKey.Id, origin) is null);
        yield return ("VaultService.UpdateKeyAsync", async () => !(await vault.UpdateKeyAsync(b, _aKey.Id, new EditKeyInput("PROD — OpenAI — taken over", 1m, false), origin)).Succeeded);
        yield return ("VaultService.UpdateCapAsync", async () => !(await vault.UpdateCapAsync(b, _aKey.Id, 1m, true, origin)).Succeeded);
        yield return ("VaultService.SetManagementKeyAsync", async () => !(await vault.SetManagementKeyAsync(b, _aKey.Id, true, origin)).Succeeded);
        yield return ("VaultService.SetProviderKeyIdAsync", async () => !(await vault.SetProviderKeyIdAsync(_b, _aKey.Id, "taken_over", null, origin)).Succeeded);
        var providerRotation = _host.Services.GetRequiredService<ProviderRotationService>();
        yield return ("ProviderRotationService.ListProjectsAsync", async () =>
        {
            // B confirmed it's them (the setup's clock has moved on since): the refusal must come from the ownership check.
            await _host.Services.ConfirmItsYouAsync(_b);
            return (await providerRotation.ListProjectsAsync(_b, _aRotation.Id, origin)).Error is not null;
        }
        );
        yield return ("ProviderRotationService.CreateNewKeyAsync", async () => !(await providerRotation.CreateNewKeyAsync(_b, _aRotation.Id, "PROD — OpenAI — taken over", null, origin)).Succeeded);
        yield return ("ProviderRotationService.DeleteOrphanAsync", async () => !(await providerRotation.DeleteOrphanAsync(_b, _aRotation.Id, origin)).Succeeded);
        yield return ("ProviderRotationService.DeleteOrphanAndCancelAsync", async () => !(await providerRotation.DeleteOrphanAndCancelAsync(_b, _aRotation.Id, origin)).Succeeded);
        yield return ("ProviderRotationService.ForgetOrphanAsync", async () =>
        {
            await providerRotation.ForgetOrphanAsync(b, _aRotation.Id);
            return true; // nothing to return: the snapshot of A afterwards is the proof
        }
        );
        yield return ("ProviderRotationService.RetireOldKeyAsync", async () => !(await providerRotation.RetireOldKeyAsync(_b, _aRotation.Id, origin)).Succeeded);
        yield return ("VaultService.RetireKeyAsync", async () => !await vault.RetireKeyAsync(b, _aDueKey.Id, origin));
        yield return ("VaultService.DeleteAsync", async () => !await vault.DeleteAsync(b, _aDueKey.Id, origin));
        yield return ("VaultService.FindKeysAsync", async () => (await vault.FindKeysAsync(b, [_aKey.Id, _aDueKey.Id])).Count == 0);
        yield return ("RotationService.StartAsync", async () => !(await Rotations.StartAsync(b, _aDueKey.Id, RotationReason.Scheduled, null, origin)).Succeeded);
        yield return ("RotationService.MarkCompromisedAsync", async () => !(await Rotations.MarkCompromisedAsync(b, _aDueKey.Id, origin)).Succeeded);
        yield return ("RotationService.GetAsync", async () => await Rotations.GetAsync(b, _aRotation.Id) is null);
        yield return ("RotationService.HistoryAsync", async () => (await Rotations.HistoryAsync(b, _aKey.SlotId)).Count == 0);
        yield return ("RotationService.AddNewKeyAsync", async () => !(await Rotations.AddNewKeyAsync(_b, _aWaitingRotation.Id, "PROD — OpenAI — new", TestAccounts.NewKeyValue(), origin, acceptShapeWarning: true)).Outcome.Succeeded);
        yield return ("RotationService.SetUpdatedAsync", async () => !(await Rotations.SetUpdatedAsync(b, _aRotation.Id, task.Id, true, origin)).Succeeded);
        yield return ("RotationService.SetTestedAsync", async () => !(await Rotations.SetTestedAsync(b, _aRotation.Id, task.Id, true, origin)).Succeeded);
        yield return ("RotationService.ContinueToRetireAsync", async () => !(await Rotations.ContinueToRetireAsync(b, _aRotation.Id)).Succeeded);
        yield return ("RotationService.RetireOldKeyAsync", async () => !(await Rotations.RetireOldKeyAsync(b, _aRotation.Id, _aKey.Label, origin)).Succeeded);
        yield return ("RotationService.CompleteAsync", async () => !(await Rotations.CompleteAsync(b, _aRotation.Id, origin)).Succeeded);
        yield return ("RotationService.CancelAsync", async () => !(await Rotations.CancelAsync(b, _aRotation.Id, origin)).Succeeded);
        yield return ("WorkflowService.FindAsync", async () => await Workflows.FindAsync(b, _aWorkflow.Id) is null);
        yield return ("WorkflowService.UsingKeyAsync", async () => (await Workflows.UsingKeyAsync(b, _aKey.Id)).Count == 0);
        yield return ("WorkflowService.SaveAsync", async () =>
        {
            // Neither rewriting A's workflow nor pointing a workflow of B's at A's key.
            var takeOver = await Workflows.SaveAsync(b, _aWorkflow.Id, new WorkflowInput("Taken over", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(_bKey.Id, "KEY")]), origin);
            var borrow = await Workflows.SaveAsync(b, null, new WorkflowInput("Borrowing", WorkflowPlatform.Make, VaultEnvironment.Prod, null, null, [new KeyUseInput(_aKey.Id, "KEY")]), origin);
            return takeOver.Workflow is null && borrow.Workflow is null;
        }
        );
        yield return ("WorkflowService.DeleteAsync", async () => !await Workflows.DeleteAsync(b, _aWorkflow.Id, origin));
        yield return ("VaultService.ReadKeyAsync", async () => await vault.ReadKeyAsync(b, _aKey.Id) is { Versions.Count: 0, LastCheck: null, Spend: null });
        var exportNames = _host.Services.GetRequiredService<ExportNameService>();
        yield return ("ExportNameService.GetAsync", async () => await exportNames.GetAsync(b, _aKey.Id) is null);
        yield return ("ExportNameService.RenameAsync", async () => await exportNames.RenameAsync(b, _aKey.Id, "TAKEN_OVER", origin) is not null);
        yield return ("AccessTokenService.SetKeyMockAsync", async () =>
            await _host.Services.GetRequiredService<CreatorKeys.Core.AccessTokens.AccessTokenService>().SetKeyMockAsync(b, _aDueKey.Id, true, origin) is not null);
        yield return ("RotationPolicyService.SetPolicyAsync", async () => !(await _host.Services.GetRequiredService<RotationPolicyService>().SetPolicyAsync(b, _aKey.Id, 60, origin)).Succeeded);
        yield return ("ReminderService.MarkReadAsync", async () =>
        {
            var reminders = _host.Services.GetRequiredService<ReminderService>();
            await reminders.MarkReadAsync(b, _aReminderId);
            await reminders.MarkReadAsync(b);
            return await reminders.CountUnreadAsync(_a.AccountId) > 0;
        }
        );
    }

    /// <summary>Everything account A has, serialised, to compare before and after.</summary>
    private async Task<string> SnapshotOfAAsync()
    {
        await using var db = await _host.Services.GetRequiredService<IDbContextFactory<CreatorKeysDbContext>>().CreateDbContextAsync();
        var a = _a.AccountId;
        var snapshot = new
        {
            Keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == a).OrderBy(k => k.Id)
                .Select(k => new { k.Id, k.Label, k.Status, k.MonthlyCapUsd, k.CapSetAtProvider, k.RotationDays, k.DueOn, k.Ciphertext, k.ExportName, k.IsMock }).ToListAsync(),
            Workflows = await db.Workflows.AsNoTracking().Where(w => w.AccountId == a).OrderBy(w => w.Id).Select(w => new { w.Id, w.Name, w.Location }).ToListAsync(),
            Uses = await db.WorkflowKeyUses.AsNoTracking().Where(u => db.Workflows.Any(w => w.Id == u.WorkflowId && w.AccountId == a)).OrderBy(u => u.KeyId).Select(u => new { u.WorkflowId, u.KeyId }).ToListAsync(),
            Rotations = await db.Rotations.AsNoTracking().Where(r => r.AccountId == a).OrderBy(r => r.Id).Select(r => new { r.Id, r.Step, r.IsActive, r.NewKeyId }).ToListAsync(),
            Tasks = await db.RotationTasks.AsNoTracking().Where(t => db.Rotations.Any(r => r.Id == t.RotationId && r.AccountId == a)).OrderBy(t => t.Id).Select(t => new { t.Id, t.UpdatedAt, t.TestedAt }).ToListAsync(),
            Reminders = await db.Reminders.AsNoTracking().Where(r => r.AccountId == a).OrderBy(r => r.Id).Select(r => new { r.Id, r.ReadAt }).ToListAsync(),
            Activity = await db.Activity.AsNoTracking().CountAsync(e => e.AccountId == a),
        };
        return JsonSerializer.Serialize(snapshot);
    }
}

/// <summary>Every test above, on a real PostgreSQL server (<see cref="PostgreSqlServer"/>).</summary>
public sealed class AccountIsolationTestsOnPostgreSql : AccountIsolationTests
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
