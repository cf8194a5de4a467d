using Hangfire.Dashboard;

namespace CreatorKeys.Web.Reminders;

/// <summary>
/// The Hangfire dashboard is for account holders of this install only. The endpoint itself
/// requires sign-in (anonymous visitors are sent to the sign-in page); this filter is the
/// second lock, in case the endpoint is ever mapped without it.
/// </summary>
internal sealed class HangfireDashboardAccess : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) =>
        context.GetHttpContext().User.Identity?.IsAuthenticated == true;
}
