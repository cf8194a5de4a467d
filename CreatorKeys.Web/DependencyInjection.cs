using CreatorKeys.Core.Accounts;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Import;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Accounts;
using CreatorKeys.Web.Components.Layout;
using CreatorKeys.Web.Network;
using CreatorKeys.Web.Reminders;
using Hangfire;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;

namespace CreatorKeys.Web;

public static class DependencyInjection
{
    /// <summary>Registers the UI: Blazor Server, MudBlazor, ASP.NET Core Identity and the sign-in cookie.</summary>
    public static IHostApplicationBuilder AddWebServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        // SignalR logs every message from the browser at Debug, including what a creator pastes
        // into a field (a key value). These filters hold those categories at Information even when
        // "Default" or "Microsoft.AspNetCore" is turned down; a setting aimed at them directly is
        // refused at start by LogSafetyCheck.
        builder.Logging.AddFilter("Microsoft.AspNetCore.SignalR", LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Http.Connections", LogLevel.Information);
        services.AddHostedService<LogSafetyCheck>();

        // A pasted .env file (up to 64 KB) travels in one message; the default limit is 32 KB.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(options => options.MaximumReceiveMessageSize = 4 * ImportService.MaxFileBytes);
        services.AddMudServices();
        services.AddSingleton<ThemeStylesheet>();
        services.AddHostedService(provider => provider.GetRequiredService<ThemeStylesheet>());
        services.AddHostedService<IdleMemoryTrimmer>();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, VaultRevalidatingAuthenticationStateProvider>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<CurrentVault>();
        services.AddScoped<CreatorKeys.Web.Components.LocalTime>();
        services.AddScoped<VaultSignIn>();
        services.AddSingleton<SignedOutProof>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddAuthorization();
        services.AddCreatorKeysRateLimiting();
        services.AddOpenApi();

        // Identity's user store, password rules and lockout are registered by Core; the web adds cookie sign-in.
        services.AddIdentityCore<Account>().AddSignInManager();

        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            options.ValidationInterval = TimeSpan.FromMinutes(1);
            options.OnRefreshingPrincipal = VaultCookieValidator.KeepVaultSessionClaimAsync;
        });

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/account/sign-in";
            options.Cookie.Name = "CreatorKeys.Session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.Events.OnValidatePrincipal = VaultCookieValidator.ValidatePrincipalAsync;
        });

        // The cookie between a right password and the second step: minutes, not hours.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, options =>
        {
            options.Cookie.Name = "CreatorKeys.TwoStep";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = VaultSessionStore.SecondStepWindow;
            options.SlidingExpiration = false;
        });

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "CreatorKeys.Antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Trusted proxies, host names, Secure __Host- cookies and the first sign-up's setup code.
        builder.AddNetworkServices();

        // In memory beside SQLite, the shared database on PostgreSQL (JobStorageSetup). Hangfire's tables are made by
        // whoever migrates: every start by default, only the migrate command when MigrateAtStart is false.
        var migrateAtStart = builder.Configuration.GetValue<bool?>(DatabaseInitializer.MigrateAtStartSetting) ?? true;
        services.AddHangfire((provider, configuration) => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseCreatorKeysStorage(provider.GetRequiredService<Database>(), prepareSchema: migrateAtStart));
        // Two workers: the daily check and outbox delivery are short, and the machine may have two cores.
        services.AddHangfireServer(options => options.WorkerCount = 2);
        services.AddHostedService<ReminderScheduler>();

        return builder;
    }
}
