using System.Net;
using System.Threading.RateLimiting;
using CreatorKeys.Core.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web;

/// <summary>
/// ASP.NET Core's rate limiter on the account forms (sign-in, two-step, recovery, sign-up):
/// posts a minute per network address, so nobody can try passwords or codes across accounts
/// at speed (each try also costs the server a deliberate 600,000-round key derivation).
/// A refused post changes nothing and comes back to its page with a plain message.
/// Downloads and reveals are limited per account by <see cref="ActionLimits"/>.
/// </summary>
public static class RateLimiting
{
    /// <summary>The policy name the account pages carry as <c>[EnableRateLimiting]</c>.</summary>
    public const string AccountForms = "account-forms";

    /// <summary>The query value that asks the account layout to explain the pause.</summary>
    public const string LimitedQuery = "limited";

    public static IServiceCollection AddCreatorKeysRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(AccountForms, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("pages");
                }

                var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.SignInAttemptsPerMinute;
                return RateLimitPartition.GetSlidingWindowLimiter(NetworkOf(context.Connection.RemoteIpAddress), _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = 0,
                });
            });

            AccessTokens.AccessTokenApi.AddAccessTokenApiLimit(options);

            options.OnRejected = (context, _) =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(AccessTokens.AccessTokenApi.Prefix))
                {
                    return AccessTokens.AccessTokenApi.RejectAsync(context.HttpContext, context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
                }

                // Back to the same page (its query kept), which explains the pause; nothing was checked or counted.
                var request = context.HttpContext.Request;
                var query = QueryString.FromUriComponent(request.QueryString.Value ?? "").Add(LimitedQuery, "1");
                context.HttpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
                context.HttpContext.Response.Headers.Location = $"{request.PathBase}{request.Path}{query}";
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
        });

    /// <summary>
    /// The network a client's posts are counted under: its IPv4 address, or for IPv6 its /64
    /// (one home or server usually gets a whole /64, so counting single IPv6 addresses would
    /// give one attacker 2^64 separate allowances).
    /// </summary>
    public static string NetworkOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The message the account pages show after a refused post.</summary>
    public const string AccountFormsMessage =
        "Too many tries from your network in the last minute. To protect the accounts here, CreatorKeys pauses sign-in for a moment: wait a minute, then try again.";

    /// <summary>A small page for a refused download (the browser shows it in place of the file).</summary>
    public static IResult TooManyDownloads(HttpContext http)
    {
        http.Response.Headers.RetryAfter = ((int)RateLimitedException.RetryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        var message = WebUtility.HtmlEncode(RateLimitedException.MessageFor(LimitedAction.Export));
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Please wait a moment · CreatorKeys</title></head>
            <body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
            <main><h1>Please wait a moment</h1><p role="alert">{message}</p><p>Use your browser's Back button to return, or <a href="/">go to the dashboard</a>.</p></main>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: StatusCodes.Status429TooManyRequests);
    }
}
