using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using CreatorKeys.Core;
using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Vault;
using CreatorKeys.Tests.Infrastructure;
using CreatorKeys.Web.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace CreatorKeys.Tests.Web;

/// <summary>
/// bUnit context for CreatorKeys components: MudBlazor services, loose JS interop, the
/// real Core services over a temp SQLite file, a fake clock, and a signed-in creator whose
/// vault is unlocked.
/// </summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    protected ComponentTestContext()
        : this(null)
    {
    }

    /// <summary>With extra settings on top of the data folder (a fake provider's address, say).</summary>
    protected ComponentTestContext(IDictionary<string, string?>? settings)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { [DataFolder.SettingName] = _folder.Path };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values)
            .Build();
        Services.AddSingleton<IConfiguration>(configuration);
        Services.AddLogging();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddCoreServices(configuration);
        Services.AddMudServices();
        Services.AddScoped<CurrentVault>();
        Services.AddScoped<CreatorKeys.Web.Components.LocalTime>();
        Authorization = AddAuthorization();
    }

    protected FakeTimeProvider Time { get; } = new(TestAccounts.WholeSecondNow());

    protected BunitAuthorizationContext Authorization { get; }

    protected VaultSession Session { get; private set; } = default!;

    protected VaultService Vault => Services.GetRequiredService<VaultService>();

    async Task IAsyncLifetime.InitializeAsync()
    {
        // Components render as they do once the page is live (the browser tests cover the prerendered moment).
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        await Services.InitializeDatabaseAsync();
        await using var scope = Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<AccountService>().SignUpAsync(TestAccounts.Email, TestAccounts.Password, TestAccounts.Origin);
        Session = Services.GetRequiredService<VaultSessionStore>().Open(outcome.Vault!, emergencyKitPending: false);
        Authorization.SetAuthorized(TestAccounts.Email);
        Authorization.SetClaims(
            new Claim(ClaimTypes.NameIdentifier, Session.AccountId),
            new Claim(VaultClaims.SessionId, Session.Id));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        _folder.Dispose();
    }

    protected async Task<KeySummary> AddKeyAsync(string value, VaultEnvironment environment = VaultEnvironment.Prod, string? label = null)
    {
        // Without a name given, a second key gets a counter: the vault refuses two keys of one service and environment that look the same.
        label ??= KeyLabels.Distinct("PROD — OpenAI — main", await Vault.ListLabelsAsync(Session.AccountId, environment, null, "OpenAI"));
        var result = await Vault.AddKeyAsync(Session, new NewKeyInput("OpenAI", environment, label, value), TestAccounts.Origin, acceptShapeWarning: true);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return result.Key!;
    }
}
