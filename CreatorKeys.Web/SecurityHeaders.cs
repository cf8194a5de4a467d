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
                return Task.CompletedTask;
            });
            await next();
        });
}
