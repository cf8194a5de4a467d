using System.Security.Claims;
using CreatorKeys.Core.Reports;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Accounts;

namespace CreatorKeys.Web.Reports;

/// <summary>
/// Downloads of the inventory report: <c>/reports/inventory.csv|json|pdf</c> with the page's
/// filters in the query string. Signed-in only, always the signed-in account's own keys.
/// </summary>
internal static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/inventory.{format}", DownloadAsync).RequireAuthorization();
    }

    /// <summary>The query string for a filter, shared by the page's download links.</summary>
    public static string Query(InventoryFilter filter)
    {
        var parts = new List<string>();
        if (filter.Environment is { } environment)
        {
            parts.Add($"environment={environment.Code()}");
        }

        if (!string.IsNullOrWhiteSpace(filter.Provider))
        {
            parts.Add($"provider={Uri.EscapeDataString(filter.Provider.Trim())}");
        }

        if (filter.Status is { } status)
        {
            parts.Add($"status={ReportText.Status(status)}");
        }

        if (filter.DueWithinDays is { } days)
        {
            parts.Add($"dueWithinDays={days}");
        }

        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }

    private static async Task<IResult> DownloadAsync(
        string format,
        string? environment,
        string? provider,
        string? status,
        string? dueWithinDays,
        HttpContext http,
        ReportExportService exports,
        ActionLimits limits,
        CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<ExportFormat>(format, ignoreCase: true, out var exportFormat) || !Enum.IsDefined(exportFormat) || format.Any(char.IsDigit))
        {
            return Results.NotFound();
        }

        if (!TryParseFilter(environment, provider, status, dueWithinDays, out var filter, out var problem))
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "That report filter is not valid");
        }

        var accountId = http.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
        if (!limits.TryTake(LimitedAction.Export, accountId))
        {
            return RateLimiting.TooManyDownloads(http);
        }

        var file = await exports.ExportAsync(accountId, filter, exportFormat, http.Origin(), cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return Results.File(file.Content, file.ContentType, file.FileName);
    }

    internal static bool TryParseFilter(string? environment, string? provider, string? status, string? dueWithinDays, out InventoryFilter filter, out string problem)
    {
        filter = InventoryFilter.All;
        problem = "";
        VaultEnvironment? parsedEnvironment = null;
        if (!string.IsNullOrWhiteSpace(environment))
        {
            parsedEnvironment = VaultEnvironments.ParseCode(environment);
            if (parsedEnvironment is null)
            {
                problem = "The environment must be DEV, STAGING or PROD.";
                return false;
            }
        }

        ReportStatus? parsedStatus = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            parsedStatus = Enum.GetValues<ReportStatus>().Cast<ReportStatus?>().FirstOrDefault(s => string.Equals(ReportText.Status(s!.Value), status.Trim(), StringComparison.OrdinalIgnoreCase));
            if (parsedStatus is null)
            {
                problem = "The status must be current, pending, previous, retired or compromised.";
                return false;
            }
        }

        int? days = null;
        if (!string.IsNullOrWhiteSpace(dueWithinDays))
        {
            if (!int.TryParse(dueWithinDays, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0 || value > InventoryFilter.MaxDueWithinDays)
            {
                problem = $"\"Due within\" must be a whole number of days from 0 to {InventoryFilter.MaxDueWithinDays}.";
                return false;
            }

            days = value;
        }

        if (provider is { Length: > ApiKey.MaxProviderNameLength })
        {
            problem = "That service name is too long.";
            return false;
        }

        filter = new InventoryFilter(parsedEnvironment, string.IsNullOrWhiteSpace(provider) ? null : provider.Trim(), parsedStatus, days);
        return true;
    }
}
