using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Workflows;

/// <summary>The account's workflows and which keys they use; every query is scoped to the account.</summary>
public sealed class WorkflowService(IDbContextFactory<CreatorKeysDbContext> dbFactory, VaultService vault, ActivityService activity, KeyInTextGuard keyGuard, TimeProvider time)
{
    public async Task<IReadOnlyList<Workflow>> ListAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workflows = await db.Workflows.AsNoTracking().Include(w => w.KeyUses)
            .Where(w => w.AccountId == accountId)
            .ToListAsync(cancellationToken);
        return workflows.OrderBy(w => w.Environment).ThenBy(w => w.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<Workflow?> FindAsync(string accountId, Guid workflowId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Workflows.AsNoTracking().Include(w => w.KeyUses)
            .SingleOrDefaultAsync(w => w.Id == workflowId && w.AccountId == accountId, cancellationToken);
    }

    /// <summary>The workflows that use a key ("where this key lives").</summary>
    public async Task<IReadOnlyList<Workflow>> UsingKeyAsync(string accountId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Workflows.AsNoTracking().Include(w => w.KeyUses)
            .Where(w => w.AccountId == accountId && w.KeyUses.Any(u => u.KeyId == keyId))
            .OrderBy(w => w.Name)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The ids of the account's keys that at least one recorded workflow uses.</summary>
    public async Task<IReadOnlySet<Guid>> KeyIdsInUseAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Workflows.AsNoTracking()
            .Where(w => w.AccountId == accountId)
            .SelectMany(w => w.KeyUses.Select(u => u.KeyId))
            .Distinct()
            .ToListAsync(cancellationToken);
        return ids.ToHashSet();
    }

    /// <summary>Adds a workflow, or changes one when <paramref name="workflowId"/> is given. Bad input changes nothing.</summary>
    public async Task<(Workflow? Workflow, IReadOnlyDictionary<string, string> Errors)> SaveAsync(
        string accountId, Guid? workflowId, WorkflowInput input, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(input.Validate(), StringComparer.Ordinal);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // Everything about a workflow is stored in plain: a key pasted into it would sit there unencrypted.
        var plainFields = new List<KeyValuePair<string, string?>>
        {
            new(nameof(WorkflowInput.Name), input.Name),
            new(nameof(WorkflowInput.Location), input.Location),
            new(nameof(WorkflowInput.Notes), input.Notes),
        };
        plainFields.AddRange(input.KeyUses.Select((u, i) => new KeyValuePair<string, string?>($"{WorkflowInput.KeyUsesField}[{i}]", u.VariableName)));
        var keyErrors = await keyGuard.CheckAsync(accountId, plainFields, cancellationToken);
        if (keyErrors.Count > 0)
        {
            return (null, keyErrors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keyIds = input.KeyUses.Select(u => u.KeyId!.Value).Distinct().ToList();
        var ownKeys = await db.ApiKeys.Where(k => k.AccountId == accountId && keyIds.Contains(k.Id)).Select(k => new { k.Id, k.IsManagementKey }).ToListAsync(cancellationToken);
        for (var i = 0; i < input.KeyUses.Count; i++)
        {
            var own = ownKeys.SingleOrDefault(k => k.Id == input.KeyUses[i].KeyId!.Value);
            if (own is null)
            {
                errors[$"{WorkflowInput.KeyUsesField}[{i}]"] = "That key is no longer in your vault.";
            }
            else if (own.IsManagementKey)
            {
                errors[$"{WorkflowInput.KeyUsesField}[{i}]"] = Providers.Connections.ManagementKeys.NotForWorkflows;
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var now = time.GetUtcNow();
        Workflow? workflow;
        if (workflowId is { } id)
        {
            workflow = await db.Workflows.Include(w => w.KeyUses).SingleOrDefaultAsync(w => w.Id == id && w.AccountId == accountId, cancellationToken);
            if (workflow is null)
            {
                return (null, new Dictionary<string, string> { [""] = "That workflow is no longer recorded." });
            }

            db.WorkflowKeyUses.RemoveRange(workflow.KeyUses);
            workflow.KeyUses = [];
        }
        else
        {
            workflow = new Workflow { Id = Guid.NewGuid(), AccountId = accountId, CreatedAt = now };
            db.Workflows.Add(workflow);
        }

        workflow.Name = input.Name!.Trim();
        workflow.Platform = input.Platform!.Value;
        workflow.Environment = input.Environment!.Value;
        workflow.Location = string.IsNullOrWhiteSpace(input.Location) ? null : input.Location.Trim();
        workflow.Notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim();
        workflow.UpdatedAt = now;
        foreach (var use in input.KeyUses)
        {
            var keyUse = new WorkflowKeyUse { Id = Guid.NewGuid(), WorkflowId = workflow.Id, KeyId = use.KeyId!.Value, VariableName = use.VariableName!.Trim() };
            workflow.KeyUses.Add(keyUse);
            db.WorkflowKeyUses.Add(keyUse);
        }

        activity.Stage(db, accountId, workflowId is null ? ActivityAction.WorkflowAdded : ActivityAction.WorkflowChanged, origin, workflow.Id.ToString(), workflow.Name, workflow.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return (workflow, errors);
    }

    public async Task<bool> DeleteAsync(string accountId, Guid workflowId, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var workflow = await db.Workflows.SingleOrDefaultAsync(w => w.Id == workflowId && w.AccountId == accountId, cancellationToken);
        if (workflow is null)
        {
            return false;
        }

        db.Workflows.Remove(workflow);
        activity.Stage(db, accountId, ActivityAction.WorkflowRemoved, origin, workflow.Id.ToString(), workflow.Name, workflow.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>Every check over the account's workflows and keys.</summary>
    public async Task<IReadOnlyList<WorkflowIssue>> CheckAsync(string accountId, CancellationToken cancellationToken = default) =>
        WorkflowChecks.Check(await ListAsync(accountId, cancellationToken), await vault.ListKeysAsync(accountId, cancellationToken));
}
