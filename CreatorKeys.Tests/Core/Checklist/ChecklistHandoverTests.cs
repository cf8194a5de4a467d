using System.Text.Json;
using CreatorKeys.Core.Checklist;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Tests.Core.Checklist;

/// <summary>
/// The dashboard scores the vault once, while prerendering, and hands the checklist to the live page
/// as persisted component state (JSON with the web defaults). A checklist must come back whole.
/// </summary>
public sealed class ChecklistHandoverTests
{
    [Fact]
    public void Checklist_SurvivesTheHandoverFromPrerenderToLivePage()
    {
        var checklist = new SecurityChecklist(
            [
                new ChecklistCheck(ChecklistCheckId.ThreeKeysPerProvider, "Every service has its own DEV, STAGING and PROD key", 25, false, "Add the missing keys: OpenAI (DEV).", "setup"),
                new ChecklistCheck(ChecklistCheckId.EmergencyKitSaved, "Your emergency kit is saved", 5, true, "Save your emergency kit.", "account/emergency-kit"),
            ],
            new Dictionary<VaultEnvironment, int> { [VaultEnvironment.Dev] = 0, [VaultEnvironment.Staging] = 2, [VaultEnvironment.Prod] = 1 },
            new DashboardFigures(
                new Dictionary<VaultEnvironment, decimal> { [VaultEnvironment.Dev] = 5m, [VaultEnvironment.Staging] = 40m, [VaultEnvironment.Prod] = 120.5m },
                new Dictionary<VaultEnvironment, int> { [VaultEnvironment.Dev] = 1, [VaultEnvironment.Staging] = 0, [VaultEnvironment.Prod] = 0 },
                300m,
                [new DueMonth("Overdue", "Overdue", 2, true), new DueMonth("Dec", "December 2026", 1, false)]));

        var json = JsonSerializer.Serialize(checklist, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<SecurityChecklist>(json, JsonSerializerOptions.Web);

        Assert.NotNull(back);
        Assert.Equal(checklist.Checks, back.Checks);
        Assert.Equal(checklist.KeysPerEnvironment.OrderBy(e => e.Key), back.KeysPerEnvironment.OrderBy(e => e.Key));
        Assert.Equal((5, 30), (back.Score, back.MaximumScore));
        var figures = Assert.IsType<DashboardFigures>(back.Figures);
        Assert.Equal(checklist.Figures!.CapsPerEnvironment.OrderBy(e => e.Key), figures.CapsPerEnvironment.OrderBy(e => e.Key));
        Assert.Equal(checklist.Figures.UncappedPerEnvironment.OrderBy(e => e.Key), figures.UncappedPerEnvironment.OrderBy(e => e.Key));
        Assert.Equal(300m, figures.MonthlyBudget);
        Assert.Equal(checklist.Figures.DueByMonth, figures.DueByMonth);
    }
}
