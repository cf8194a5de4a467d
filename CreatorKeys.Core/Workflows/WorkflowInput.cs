using CreatorKeys.Core.Validation;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Workflows;

/// <summary>What the creator typed for a workflow and the keys it uses.</summary>
public sealed record WorkflowInput(
    string? Name,
    WorkflowPlatform? Platform,
    VaultEnvironment? Environment,
    string? Location,
    string? Notes,
    IReadOnlyList<KeyUseInput> KeyUses)
{
    public const string KeyUsesField = "KeyUses";

    /// <summary>Field errors (empty when valid). Each key use's error is keyed <c>KeyUses[i]</c>.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors[nameof(Name)] = "Give the workflow a name you will recognise, like “Daily avatar video”.";
        }
        else if (name.Length > Workflow.MaxNameLength)
        {
            errors[nameof(Name)] = $"Keep the name under {Workflow.MaxNameLength} characters.";
        }
        else if (TextRules.LineProblem(name) is { } nameProblem)
        {
            errors[nameof(Name)] = nameProblem;
        }

        if (Platform is null || !Enum.IsDefined(Platform.Value))
        {
            errors[nameof(Platform)] = "Choose where this workflow runs.";
        }

        if (Environment is null || !Enum.IsDefined(Environment.Value))
        {
            errors[nameof(Environment)] = "Choose DEV, STAGING or PROD: is this workflow for testing or live?";
        }

        if ((Location?.Trim().Length ?? 0) > Workflow.MaxLocationLength)
        {
            errors[nameof(Location)] = $"Keep the address under {Workflow.MaxLocationLength} characters.";
        }
        else if (TextRules.LineProblem(Location?.Trim() ?? "") is { } locationProblem)
        {
            errors[nameof(Location)] = locationProblem;
        }

        if ((Notes?.Trim().Length ?? 0) > Workflow.MaxNotesLength)
        {
            errors[nameof(Notes)] = $"Keep the notes under {Workflow.MaxNotesLength} characters.";
        }
        else if (TextRules.ParagraphProblem(Notes ?? "") is { } notesProblem)
        {
            errors[nameof(Notes)] = notesProblem;
        }

        for (var i = 0; i < KeyUses.Count; i++)
        {
            var variable = KeyUses[i].VariableName?.Trim() ?? "";
            if (KeyUses[i].KeyId is null)
            {
                errors[$"{KeyUsesField}[{i}]"] = "Choose the key this workflow uses.";
            }
            else if (variable.Length == 0)
            {
                errors[$"{KeyUsesField}[{i}]"] = "Type the variable or connection name the key sits under, like OPENAI_KEY_PROD.";
            }
            else if (variable.Length > WorkflowKeyUse.MaxVariableLength)
            {
                errors[$"{KeyUsesField}[{i}]"] = $"Keep the variable name under {WorkflowKeyUse.MaxVariableLength} characters.";
            }
            else if (TextRules.LineProblem(variable) is { } variableProblem)
            {
                errors[$"{KeyUsesField}[{i}]"] = variableProblem;
            }
        }

        var repeated = KeyUses.Select((u, i) => (u, i)).Where(x => x.u.KeyId is not null)
            .GroupBy(x => (x.u.KeyId, Variable: x.u.VariableName?.Trim() ?? ""), x => x.i).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            errors[$"{KeyUsesField}[{repeated.Last()}]"] = "This key is already listed under the same name.";
        }

        return errors;
    }
}

public sealed record KeyUseInput(Guid? KeyId, string? VariableName);
