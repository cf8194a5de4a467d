using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Setup;
using CreatorKeys.Web.Accounts;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace CreatorKeys.Web.Components.Pages.Setup;

public sealed partial class SetupPage
{
    private static readonly string[] StepTitles = ["your services", "keys", "spend caps", "summary"];
    private static readonly string[] StepNames = ["services", "keys", "caps", "summary"];

    private SetupOverview? _overview;
    private IReadOnlyList<ProviderInfo>? _providers;
    private decimal? _budget;
    private int _step;
    private string? _auditError;
    private string _accountId = "";

    [Inject]
    private SetupService Setup { get; set; } = default!;

    [Inject]
    private CurrentVault CurrentVault { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter]
    private RequestOrigin Origin { get; set; } = new(null, null);

    /// <summary>Opens a given step (<c>?step=caps</c>), e.g. from a checklist's "fix this" link.</summary>
    [SupplyParameterFromQuery(Name = "step")]
    public string? StepName { get; set; }

    private int StoredCount => _overview?.Providers.SelectMany(p => p.Slots).Count(s => s.State == SlotState.Stored) ?? 0;

    protected override async Task OnInitializedAsync()
    {
        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            Navigation.NavigateTo("account/sign-in?reason=restarted", forceLoad: true);
            return;
        }

        _accountId = session.AccountId;
        await ReloadAsync();
        var requested = Array.IndexOf(StepNames, StepName ?? "");
        // A link (from the checklist) opens its step; otherwise resume where the creator stopped,
        // which is the audit while nothing is picked.
        _step = requested >= 0 ? requested : _overview!.Progress.ProviderIds.Count == 0 ? 0 : _overview.Progress.Step;
    }

    private async Task ReloadAsync()
    {
        _overview = await Setup.GetOverviewAsync(_accountId);
        _providers = _overview.AllProviders;
        _budget = await Setup.GetMonthlyBudgetAsync(_accountId);
        if (_overview.Progress.ProviderIds.Count > 0)
        {
            _auditError = null;
        }
    }

    /// <summary>
    /// Runs before every step change the creator asks for: refuses to leave the audit with nothing
    /// picked, and saves the step to come back to. (The stepper's own index changes are not saved:
    /// it also changes them while the page is being closed.)
    /// </summary>
    private async Task CheckStepChangeAsync(StepperInteractionEventArgs args)
    {
        // Leaving the audit (finishing it, skipping it, or jumping ahead) needs at least one service.
        var leavesAudit = args.Action switch
        {
            StepAction.Activate => args.StepIndex > 0,
            StepAction.Complete or StepAction.Skip => args.StepIndex == 0,
            _ => false,
        };
        if (leavesAudit && _overview!.Progress.ProviderIds.Count == 0)
        {
            _auditError = "Tick at least one service you use before going on.";
            args.Cancel = true;
            return;
        }

        var target = args.Action switch
        {
            StepAction.Activate => args.StepIndex,
            StepAction.Complete or StepAction.Skip => args.StepIndex + 1,
            _ => 0,
        };
        await Setup.SaveStepAsync(_accountId, Math.Min(target, SetupService.LastStep), Origin);
    }


}
