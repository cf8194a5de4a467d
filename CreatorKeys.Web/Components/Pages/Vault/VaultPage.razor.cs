using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Accounts;
using CreatorKeys.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;

namespace CreatorKeys.Web.Components.Pages.Vault;

public sealed partial class VaultPage
{
    private readonly Dictionary<Guid, string> _revealed = [];
    private readonly Dictionary<Guid, ITimer> _hideTimers = [];
    private ITimer? _searchTimer;
    private int _loads;
    private bool _disposed;
    private IReadOnlyDictionary<VaultEnvironment, int>? _counts;

    // Keys in use per folder whatever the search box says: what "Download as .env" would put in the file.
    private IReadOnlyDictionary<VaultEnvironment, int> _inUse = new Dictionary<VaultEnvironment, int>();
    private KeyListPage? _page;
    private int _activeTab;
    private int _pageIndex;
    private string? _search;
    private KeyListStatus _statusFilter = KeyListStatus.Current;

    // The key just stored with Add a key: its confirmation stays on the page with "Check it with <provider>".
    private KeySummary? _justAdded;

    // The last thing each shown key's provider said about it: "last checked: works, 3 days ago".
    private IReadOnlyDictionary<Guid, CreatorKeys.Core.Providers.Connections.KeyCheckRecord> _lastChecks = new Dictionary<Guid, CreatorKeys.Core.Providers.Connections.KeyCheckRecord>();

    [Inject]
    private CreatorKeys.Core.Providers.Connections.StoredKeyChecks KeyChecks { get; set; } = default!;

    [Inject]
    private VaultService Vault { get; set; } = default!;

    [Inject]
    private CurrentVault CurrentVault { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private Core.Reminders.ReminderService Reminders { get; set; } = default!;

    [Inject]
    private IOptions<VaultOptions> Options { get; set; } = default!;

    [CascadingParameter]
    private RequestOrigin Origin { get; set; } = new(null, null);

    private int RevealSeconds => Options.Value.RevealSeconds;

    private bool IsFiltered => !string.IsNullOrWhiteSpace(_search) || _statusFilter != KeyListStatus.Current;

    /// <summary>The environment of the open tab: the only one whose keys are loaded, one page at a time.</summary>
    private VaultEnvironment ActiveEnvironment => VaultEnvironments.All[Math.Clamp(_activeTab, 0, VaultEnvironments.All.Count - 1)];

    protected override async Task OnInitializedAsync() => await LoadAsync();

    public void Dispose()
    {
        _disposed = true;
        _searchTimer?.Dispose();
        _searchTimer = null;
        foreach (var timer in _hideTimers.Values)
        {
            timer.Dispose();
        }

        _hideTimers.Clear();
        _revealed.Clear();
    }

    /// <summary>
    /// Loads the tab counts and the open tab's current page. The database filters, sorts and pages,
    /// so a vault of 10,000 keys renders one page, never every row.
    /// </summary>
    private async Task LoadAsync(VaultEnvironment? show = null)
    {
        // Loads can overlap (a search firing while a tab is chosen, arrow keys held on the tabs): each works
        // from the filters as they were when it started, and only the latest one shows its result.
        var load = ++_loads;
        var search = _search;
        var status = _statusFilter;
        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            GoToSignIn();
            return;
        }

        var counts = await Vault.CountKeysAsync(session.AccountId, search);
        if (load != _loads)
        {
            return;
        }

        if (show is { } environment)
        {
            ShowEnvironment(environment);
        }
        else if (_counts is null)
        {
            // Open the first folder that has something in it.
            var any = counts.For(KeyListStatus.All);
            var withKeys = VaultEnvironments.All.Where(e => any[e] > 0).ToList();
            if (withKeys.Count > 0)
            {
                ShowEnvironment(withKeys[0]);
            }
        }

        var inUse = string.IsNullOrWhiteSpace(search) ? counts.Current : (await Vault.CountKeysAsync(session.AccountId)).Current;
        var shown = counts.For(status);
        var folder = ActiveEnvironment;
        var page = await Vault.ListKeysPageAsync(session.AccountId, new KeyListQuery(folder, status, search, _pageIndex), knownTotal: shown[folder]);
        var checks = await KeyChecks.LatestAsync(session.AccountId, page.Keys.Select(k => k.Id).ToList());
        if (load != _loads)
        {
            return;
        }

        _counts = shown;
        _inUse = inUse;
        _page = page;
        _lastChecks = checks;
        _pageIndex = page.Page;
    }

    private void ShowEnvironment(VaultEnvironment environment)
    {
        _activeTab = VaultEnvironments.All.ToList().IndexOf(environment);
        _pageIndex = 0;
    }

    private async Task OnTabChangedAsync(int index)
    {
        if (index == _activeTab)
        {
            return;
        }

        _activeTab = index;
        _pageIndex = 0;
        await LoadAsync();
    }

    /// <summary>How long the search box waits after the last keystroke before it searches.</summary>
    internal static readonly TimeSpan SearchDelay = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// Called on every keystroke in the search box: searches once typing pauses for <see cref="SearchDelay"/>,
    /// not once per letter (each search counts and reads the folder again).
    /// </summary>
    private void SearchTyped()
    {
        // A timer cannot await: the search is fire-and-forget, and it reports its own errors to the page.
        _searchTimer ??= Time.CreateTimer(
            state => _ = InvokeAsync(async () =>
            {
                // Disposing the timer does not stop a callback already under way: the page may be gone.
                if (_disposed)
                {
                    return;
                }

                try
                {
                    await OnFilterChangedAsync();
                    StateHasChanged();
                }
                catch (Exception ex)
                {
                    // Shown like any other error of the page, not lost on the timer's thread.
                    await DispatchExceptionAsync(ex);
                }
            }),
            null,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        _searchTimer.Change(SearchDelay, Timeout.InfiniteTimeSpan);
    }

    private async Task OnFilterChangedAsync()
    {
        _pageIndex = 0;
        await LoadAsync();
    }

    private async Task GoToPageAsync(int page)
    {
        _pageIndex = page - 1;
        await LoadAsync();
    }

    private async Task AddKeyAsync(VaultEnvironment? environment)
    {
        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            GoToSignIn();
            return;
        }

        var parameters = new DialogParameters<AddKeyDialog>
        {
            { d => d.Session, session },
            { d => d.Origin, Origin },
            { d => d.InitialEnvironment, environment },
        };
        var dialog = await Dialogs.ShowAsync<AddKeyDialog>("Add a key", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        var result = await dialog.Result;
        if (result is { Canceled: false, Data: KeySummary added })
        {
            Snackbar.Add($"“{added.Label}” is encrypted and stored in {added.Environment.Code()}.", Severity.Success);
            _justAdded = added;
            _statusFilter = KeyListStatus.Current;
            await LoadAsync(added.Environment);
        }
    }

    private async Task RevealAsync(KeySummary key)
    {
        var value = await DecryptAsync(key, (session, id) => Vault.RevealAsync(session, id, Origin));
        if (value is null)
        {
            return;
        }

        _revealed[key.Id] = value;
        if (_hideTimers.Remove(key.Id, out var previous))
        {
            previous.Dispose();
        }

        // Fire-and-forget from the timer: hiding cannot fail in a way the page could show.
        _hideTimers[key.Id] = Time.CreateTimer(
            state => _ = InvokeAsync(() =>
            {
                Hide(key.Id);
                StateHasChanged();
            }),
            null,
            Options.Value.RevealFor,
            Timeout.InfiniteTimeSpan);
    }

    private void Hide(Guid keyId)
    {
        _revealed.Remove(keyId);
        if (_hideTimers.Remove(keyId, out var timer))
        {
            timer.Dispose();
        }
    }

    private async Task CopyAsync(KeySummary key)
    {
        var value = await DecryptAsync(key, (session, id) => Vault.CopyAsync(session, id, Origin));
        if (value is null)
        {
            return;
        }

        var copied = await JS.InvokeAsync<bool>("creatorKeys.copyText", value);
        if (copied)
        {
            Snackbar.Add($"“{key.Label}” copied. Paste it where it is needed.", Severity.Success);
        }
        else
        {
            Snackbar.Add("Your browser blocked copying. Press Reveal and copy the key by hand.", Severity.Warning);
        }
    }

    private async Task EditAsync(KeySummary key)
    {
        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            GoToSignIn();
            return;
        }

        var parameters = new DialogParameters<EditKeyDialog>
        {
            { d => d.Key, key },
            { d => d.AccountId, session.AccountId },
            { d => d.Origin, Origin },
        };
        var dialog = await Dialogs.ShowAsync<EditKeyDialog>($"Edit “{key.Label}”", parameters, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false, Data: KeySummary edited })
        {
            Snackbar.Add($"“{edited.Label}” saved.", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RetireAsync(KeySummary key)
    {
        var confirmed = await ConfirmActionDialog.AskAsync(
            Dialogs,
            "Stop using this key?",
            $"“{key.Label}” stays on record but is marked as no longer in use. It keeps working at {key.ProviderName} until you delete {KeyHint.OneEnding(key.Hint)} there, which you should do once nothing uses it.",
            "Stop using it",
            "Keep it in use",
            ProtectedChanges.WordToType(key, KeyChange.Retire));
        if (!confirmed)
        {
            return;
        }

        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            GoToSignIn();
            return;
        }

        if (await Vault.RetireKeyAsync(session.AccountId, key.Id, Origin))
        {
            Snackbar.Add($"“{key.Label}” is no longer in use (kept under “Retired keys”). Remember to delete {KeyHint.OneEnding(key.Hint)} at {key.ProviderName}.", Severity.Info);
        }

        await LoadAsync();
    }

    private async Task DeleteAsync(KeySummary key)
    {
        var confirmed = await ConfirmActionDialog.AskAsync(
            Dialogs,
            "Delete this key?",
            $"“{key.Label}” ({key.Environment.Code()}) and its encrypted value will be removed from CreatorKeys. " +
            $"The key keeps working at {key.ProviderName} until you delete {KeyHint.OneEnding(key.Hint)} there too.",
            "Delete key",
            "Keep it",
            ProtectedChanges.WordToType(key, KeyChange.Delete),
            Color.Error);
        if (!confirmed)
        {
            return;
        }

        var session = await CurrentVault.FindSessionAsync();
        if (session is null)
        {
            GoToSignIn();
            return;
        }

        Hide(key.Id);
        if (await Vault.DeleteAsync(session.AccountId, key.Id, Origin))
        {
            Snackbar.Add($"“{key.Label}” was deleted from your vault.", Severity.Info);
        }

        await LoadAsync();
    }

    /// <summary>Runs a decrypting call, turning a locked vault, a missing key or damaged data into a plain message.</summary>
    private async Task<string?> DecryptAsync(KeySummary key, Func<VaultSession, Guid, Task<string?>> decrypt)
    {
        try
        {
            var session = await CurrentVault.RequireSessionAsync();
            if (key.Environment == VaultEnvironment.Prod
                && !await ConfirmItsYouDialog.EnsureAsync(Dialogs, session, Origin, ConfirmItsYouDialog.WhyProdKey))
            {
                return null;
            }

            var value = await decrypt(session, key.Id);
            if (value is null)
            {
                Snackbar.Add("That key is no longer in your vault.", Severity.Warning);
                await LoadAsync();
            }

            return value;
        }
        catch (VaultLockedException)
        {
            GoToSignIn();
            return null;
        }
        catch (Exception ex) when (ex is RateLimitedException or ConfirmationRequiredException)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
            return null;
        }
        catch (VaultCryptoException)
        {
            Snackbar.Add($"The stored value of “{key.Label}” is damaged and cannot be shown. Nothing was changed; restore a backup or store the key again.", Severity.Error);
            return null;
        }
    }

    private void GoToSignIn() => Navigation.NavigateTo("account/sign-in?reason=restarted", forceLoad: true);
}
