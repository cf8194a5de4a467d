using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CreatorKeys.Web;

/// <summary>Writes <c>/healthz</c> as a small JSON document: overall status and each check's status.</summary>
internal static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
