using CreatorKeys.Core.Vault;
using CreatorKeys.Core.Workflows;

namespace CreatorKeys.Tests.Core.Workflows;

public sealed class WorkflowChecksTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Check_WellFormedWorkflows_HaveNoIssues()
    {
        var prod = Key(VaultEnvironment.Prod);
        var dev = Key(VaultEnvironment.Dev);

        var issues = WorkflowChecks.Check([Flow(VaultEnvironment.Prod, prod, "OPENAI_KEY_PROD"), Flow(VaultEnvironment.Dev, dev, "OPENAI_KEY_DEV")], [prod, dev]);

        Assert.Empty(issues);
    }

    [Fact]
    public void Check_ProdWorkflowOnDevKey_IsFlagged()
    {
        var dev = Key(VaultEnvironment.Dev);

        var issue = Assert.Single(WorkflowChecks.Check([Flow(VaultEnvironment.Prod, dev, "OPENAI_KEY_DEV")], [dev]));

        Assert.Equal(WorkflowIssueKind.LiveWorkflowOnTestKey, issue.Kind);
        Assert.Contains("is live (PROD) but uses the DEV key", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VaultEnvironment.Dev)]
    [InlineData(VaultEnvironment.Staging)]
    public void Check_TestWorkflowOnProdKey_IsFlagged(VaultEnvironment environment)
    {
        var prod = Key(VaultEnvironment.Prod);

        var issue = Assert.Single(WorkflowChecks.Check([Flow(environment, prod, "OPENAI_KEY_PROD")], [prod]));

        Assert.Equal(WorkflowIssueKind.TestWorkflowOnProdKey, issue.Kind);
        Assert.Contains("Production keys never belong in testing", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_VariableWithoutEnvironment_SuggestsTheName()
    {
        var prod = Key(VaultEnvironment.Prod);

        var issue = Assert.Single(WorkflowChecks.Check([Flow(VaultEnvironment.Prod, prod, "OPENAI_KEY")], [prod]));

        Assert.Equal(WorkflowIssueKind.VariableWithoutEnvironment, issue.Kind);
        Assert.Contains("Call it OPENAI_KEY_PROD", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_VariableNamingTheWrongEnvironment_IsFlagged()
    {
        var prod = Key(VaultEnvironment.Prod);

        var issue = Assert.Single(WorkflowChecks.Check([Flow(VaultEnvironment.Prod, prod, "OPENAI_KEY_DEV")], [prod]));

        Assert.Equal(WorkflowIssueKind.VariableNamesOtherEnvironment, issue.Kind);
    }

    [Fact]
    public void Check_KeyUsedByNothing_IsFlagged_RetiredOnesAreNot()
    {
        var used = Key(VaultEnvironment.Prod);
        var unused = Key(VaultEnvironment.Dev);
        var retired = Key(VaultEnvironment.Dev) with { Status = KeyStatus.Retired };

        var issue = Assert.Single(WorkflowChecks.Check([Flow(VaultEnvironment.Prod, used, "OPENAI_KEY_PROD")], [used, unused, retired]));

        Assert.Equal((WorkflowIssueKind.UnusedKey, unused.Id), (issue.Kind, issue.KeyId));
    }

    [Theory]
    [InlineData(KeyStatus.Retired, false, "retired")]
    [InlineData(KeyStatus.Previous, false, "replaced")]
    [InlineData(KeyStatus.Current, true, "compromised")]
    public void Check_RetiredReplacedOrCompromisedKeyInUse_IsFlagged(KeyStatus status, bool compromised, string word)
    {
        var key = Key(VaultEnvironment.Prod) with { Status = status, CompromisedAt = compromised ? Now : null };

        var issue = Assert.Single(WorkflowChecks.Check([Flow(VaultEnvironment.Prod, key, "OPENAI_KEY_PROD")], [key]), i => i.Kind == WorkflowIssueKind.RetiredKeyInUse);

        Assert.Contains($"still uses the {word} key", issue.Message, StringComparison.Ordinal);
    }

    private static KeySummary Key(VaultEnvironment environment) =>
        new(Guid.NewGuid(), "openai", "OpenAI", environment, $"{environment.Code()} — OpenAI — Created 2026-11-27", "sk-…abcd", 5, true, KeyStatus.Current, Now, Now, Now);

    private static Workflow Flow(VaultEnvironment environment, KeySummary key, string variable) => new()
    {
        Id = Guid.NewGuid(),
        Name = $"{environment.Code()} avatar video",
        Environment = environment,
        KeyUses = [new WorkflowKeyUse { Id = Guid.NewGuid(), KeyId = key.Id, VariableName = variable }],
    };
}
