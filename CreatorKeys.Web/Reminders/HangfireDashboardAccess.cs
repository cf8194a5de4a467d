using System.Security.Claims;
using CreatorKeys.Core.Accounts;
using Hangfire.Dashboard;

namespace CreatorKeys.Web.Reminders;

/// <summary>
/// The Hangfire dashboard is for the install's administrator (its first account) only. The
/// endpoint itself requires sign-in, so anonymous visitors are sent to the sign-in page; this
/// filter then refuses every other account, which could otherwise delete or trigger the jobs
/// that remind everyone.
/// </summary>
internal sealed class HangfireDashboardAccess : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return false;
        }

        var admin = http.RequestServices.GetRequiredService<InstallAdmin>();
        return await admin.IsAdminAsync(http.User.FindFirstValue(ClaimTypes.NameIdentifier), http.RequestAborted);
    }
}
