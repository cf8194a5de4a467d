using CreatorKeys.Core;
using CreatorKeys.Core.Data;
using CreatorKeys.Web;
using CreatorKeys.Web.AccessTokens;
using CreatorKeys.Web.Accounts;
using CreatorKeys.Web.Components;
using CreatorKeys.Web.Components.Layout;
using CreatorKeys.Web.Network;
using CreatorKeys.Web.Reminders;
using CreatorKeys.Web.Reports;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
builder.UseCreatorKeysConfiguration();
if (args.Contains(HealthProbe.Argument))
{
    return await HealthProbe.RunAsync(builder.Configuration);
}

builder.AddCoreServices();
builder.AddWebServices();

var app = builder.Build();
if (args.Contains(DatabaseInitializer.MigrateCommand))
{
    // Several instances on one PostgreSQL: run this once before starting them (docs/self-hosting.md), with
    // CreatorKeys:Database:MigrateAtStart = false on the instances. Nothing else starts.
    var applied = await app.Services.MigrateDatabaseAsync();
    JobStorageSetup.PrepareSchema(app.Services.GetRequiredService<Database>());
    await Console.Out.WriteLineAsync($"Database up to date ({applied} migration(s) applied).");
    return 0;
}

await app.Services.InitializeDatabaseAsync();

app.UseForwardedHeaders();
app.UseHostPrefixedCookies();
// Before everything else that answers, so every response carries them, sign-in redirects included.
app.UseSecurityHeaders();
// The token API reads no cookie and answers no-store (docs/api.md).
app.UseAccessTokenApiBoundary();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
// Called here (not left to the host's automatic placement before all middleware) so the headers above apply to challenges too.
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapGet(ThemeStylesheet.Path, (ThemeStylesheet theme, HttpContext context) => theme.Serve(context));
app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
app.MapAccountEndpoints();
app.MapReportEndpoints();
app.MapActivityEndpoints();
app.MapOpenApi();
app.MapAccessTokenApi();
app.MapHangfireDashboard("/hangfire", new DashboardOptions
{
    Authorization = [],
    AsyncAuthorization = [new HangfireDashboardAccess()],
    DashboardTitle = "CreatorKeys · background jobs",
    AppPath = "/settings",
    DisplayStorageConnectionString = false,
}).RequireAuthorization();
// No compression on the live connection: each open tab would keep ~300 KB of deflate state in native
// memory, and revealed key values would be compressed alongside text others can influence. The
// frame-ancestors rule Blazor adds with compression is already in SecurityHeaders.
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
