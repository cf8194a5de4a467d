namespace CreatorKeys.Web;

/// <summary>
/// Headers every response carries: a Content-Security-Policy that allows only the app's own
/// script files (no inline script, no eval, no other origins), no framing by other sites
/// (clickjacking), no MIME sniffing, no referrer leaking addresses to other sites.
/// </summary>
/// <remarks>
/// Styles keep <c>'unsafe-inline'</c>: MudBlazor sets inline style attributes (its theme is the
/// file <c>/theme.css</c>, see ThemeStylesheet). The framework's inline import map is left out of
/// <c>App.razor</c> (the app loads no JavaScript modules), so scripts need neither nonce nor hash.
/// </remarks>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "frame-src 'none'; " +
        "frame-ancestors 'none'; " +
        "base-uri 'self'; " +
        "object-src 'none'; " +
        "form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                if (context.GetEndpoint()?.Metadata.GetMetadata<NoStoreAttribute>() is not null)
                {
                    // A page that shows a secret once: no copy in the browser's cache or the back button.
                    headers.CacheControl = "no-store";
                    headers.Pragma = "no-cache";
                }

                return Task.CompletedTask;
            });
            await next();
        });
}

/// <summary>
/// Marks a page that shows a secret once (the emergency kit, two-step set-up, recovery codes):
/// <see cref="SecurityHeaders"/> sends it with <c>Cache-Control: no-store</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NoStoreAttribute : Attribute;
