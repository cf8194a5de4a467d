using CreatorKeys.Core.Import;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Workflows;

/// <summary>
/// The mistakes that make a workflow fragile or unsafe, in plain words: a live workflow on a
/// test key, a test workflow holding a production key, a variable name that hides its
/// environment, a key nobody uses, a retired or compromised key still in use.
/// </summary>
public static class WorkflowChecks
{
    public static IReadOnlyList<WorkflowIssue> Check(IReadOnlyCollection<Workflow> workflows, IReadOnlyCollection<KeySummary> keys)
    {
        var issues = new List<WorkflowIssue>();
        var byId = keys.ToDictionary(k => k.Id);
        foreach (var workflow in workflows)
        {
            foreach (var use in workflow.KeyUses)
            {
                if (!byId.TryGetValue(use.KeyId, out var key))
                {
                    continue;
                }

                if (workflow.Environment == VaultEnvironment.Prod && key.Environment != VaultEnvironment.Prod)
                {
                    issues.Add(new(WorkflowIssueKind.LiveWorkflowOnTestKey, workflow.Id, key.Id,
                        $"“{workflow.Name}” is live (PROD) but uses the {key.Environment.Code()} key “{key.Label}”. A test key has a small cap and may be switched off: give the workflow its PROD key."));
                }
                else if (workflow.Environment != VaultEnvironment.Prod && key.Environment == VaultEnvironment.Prod)
                {
                    issues.Add(new(WorkflowIssueKind.TestWorkflowOnProdKey, workflow.Id, key.Id,
                        $"“{workflow.Name}” is for {workflow.Environment.Code()} but uses the PROD key “{key.Label}”. Production keys never belong in testing: give it a {workflow.Environment.Code()} key."));
                }

                var named = ImportPlanner.EnvironmentFromName(use.VariableName);
                if (named is null)
                {
                    issues.Add(new(WorkflowIssueKind.VariableWithoutEnvironment, workflow.Id, key.Id,
                        $"In “{workflow.Name}”, the name {use.VariableName} does not say its environment. Call it {Suggest(use.VariableName, key.Environment)} so a mix-up is visible at a glance."));
                }
                else if (named != key.Environment)
                {
                    issues.Add(new(WorkflowIssueKind.VariableNamesOtherEnvironment, workflow.Id, key.Id,
                        $"In “{workflow.Name}”, {use.VariableName} says {named.Value.Code()} but holds the {key.Environment.Code()} key “{key.Label}”."));
                }

                if (key.Status is KeyStatus.Retired or KeyStatus.Previous or KeyStatus.Compromised || key.CompromisedAt is not null)
                {
                    var state = key.CompromisedAt is not null || key.Status == KeyStatus.Compromised ? "compromised" : key.Status == KeyStatus.Previous ? "replaced" : "retired";
                    issues.Add(new(WorkflowIssueKind.RetiredKeyInUse, workflow.Id, key.Id,
                        $"“{workflow.Name}” still uses the {state} key “{key.Label}”. Update it to the key that replaced it."));
                }
            }
        }

        var used = workflows.SelectMany(w => w.KeyUses).Select(u => u.KeyId).ToHashSet();
        // A management key is never a workflow's: CreatorKeys itself uses it, so it is not "used by nothing".
        foreach (var key in keys.Where(k => k.IsCurrent && !k.IsManagementKey && !used.Contains(k.Id)))
        {
            issues.Add(new(WorkflowIssueKind.UnusedKey, null, key.Id,
                $"No workflow is recorded as using “{key.Label}”. Record where it lives, or retire it if nothing needs it: a forgotten key is the one that leaks."));
        }

        return issues;
    }

    /// <summary>A variable name with the environment added, e.g. <c>OPENAI_KEY</c> → <c>OPENAI_KEY_PROD</c>.</summary>
    public static string Suggest(string variableName, VaultEnvironment environment) =>
        $"{variableName.TrimEnd('_')}_{environment.Code()}";
}

public enum WorkflowIssueKind
{
    LiveWorkflowOnTestKey,
    TestWorkflowOnProdKey,
    VariableWithoutEnvironment,
    VariableNamesOtherEnvironment,
    UnusedKey,
    RetiredKeyInUse,
}

public sealed record WorkflowIssue(WorkflowIssueKind Kind, Guid? WorkflowId, Guid? KeyId, string Message);
