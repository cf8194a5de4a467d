using System.Net;
using System.Threading.RateLimiting;
using CreatorKeys.Core.AccessTokens;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Security;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Network;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CreatorKeys.Web.AccessTokens;

/// <summary>
/// The read-only API under <c>/api/v1</c> (docs/api.md): a bearer access token, never a cookie; problem+json errors;
/// <c>Cache-Control: no-store</c>; HTTPS unless the caller is on this machine; a rate limit per token.
/// </summary>
public static class AccessTokenApi
{
    public const string Prefix = "/api";
    public const string RateLimitPolicy = "access-token-api";
    private const string GrantItem = "CreatorKeys.TokenGrant";
    private const string ProblemBase = "https://creatorkeys.app/problems/";

    /// <summary>For <c>/api</c> only: drops any cookie before authentication reads it and marks every answer no-store.</summary>
    public static IApplicationBuilder UseAccessTokenApiBoundary(this IApplicationBuilder app) =>
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Prefix), api => api.Use((context, next) =>
        {
            context.Request.Headers.Cookie = default;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.CacheControl = "no-store";
                return Task.CompletedTask;
            });
            return next(context);
        }));

    /// <summary>The per-token limit: requests are counted under the token id they claim (or the network, without one).</summary>
    public static void AddAccessTokenApiLimit(this Microsoft.AspNetCore.RateLimiting.RateLimiterOptions options) =>
        options.AddPolicy(RateLimitPolicy, context =>
        {
            var limit = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.ApiRequestsPerMinute;
            var partition = AccessTokenCrypto.IdOf(BearerOf(context)) is { } id ? "token:" + id : "net:" + RateLimiting.NetworkOf(context.Connection.RemoteIpAddress);
            return RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limit,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });

    /// <summary>The 429 answer for the API (the account forms get a redirect instead).</summary>
    public static ValueTask RejectAsync(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling((retryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds);
        context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ValueTask(Problem(StatusCodes.Status429TooManyRequests, "Too many requests", $"This token made too many requests in the last minute. Wait {seconds} seconds and try again.").ExecuteAsync(context));
    }

    public static IEndpointRouteBuilder MapAccessTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1")
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter(CheckTokenAsync)
            .WithTags("Access tokens")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapGet("/environments", async (HttpContext http, AccessTokenService tokens, PublicAddress address, CancellationToken cancellationToken) =>
        {
            var grant = GrantOf(http);
            var mode = await tokens.ReadModeAsync(grant, OriginOf(http), cancellationToken);
            return Results.Ok(new EnvironmentsResponse(
                address.Address.GetLeftPart(UriPartial.Authority),
                new TokenInfo(grant.Name, grant.ExpiresAt?.UtcDateTime),
                [new EnvironmentInfo(grant.Environment.Code(), mode.ToString())]));
        }).WithName("GetEnvironments").WithSummary("The token's environment and its mode (Live or Mock).");

        api.MapGet("/secrets", async (HttpContext http, AccessTokenService tokens, CancellationToken cancellationToken) =>
        {
            var grant = GrantOf(http);
            var read = await tokens.ReadSecretsAsync(grant, null, OriginOf(http), cancellationToken);
            return Results.Ok(new SecretsResponse(read.Environment.Code(), read.Mode.ToString(), [.. read.Secrets.Select(ToDto)]));
        }).WithName("GetSecrets").WithSummary("Every key in use of the token's environment, with its value.");

        api.MapGet("/secrets/{name}", async (string name, HttpContext http, AccessTokenService tokens, CancellationToken cancellationToken) =>
        {
            var grant = GrantOf(http);
            var read = await tokens.ReadSecretsAsync(grant, name, OriginOf(http), cancellationToken);
            return read.Secrets.Count == 0
                ? Problem(StatusCodes.Status404NotFound, "Not found", $"{read.Environment.Code()} has no key named {name}.")
                : Results.Ok(ToDto(read.Secrets[0]));
        }).WithName("GetSecret").WithSummary("One key of the token's environment, by its export name.").ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    /// <summary>
    /// HTTPS is required unless the request comes from this machine: a token or a value sent in the clear over a
    /// network can be read on the way. <see cref="HttpRequest.IsHttps"/> already reflects a trusted proxy's scheme.
    /// </summary>
    public static bool IsTransportAllowed(bool isHttps, IPAddress? remoteAddress) =>
        isHttps || (remoteAddress is not null && IPAddress.IsLoopback(remoteAddress.IsIPv4MappedToIPv6 ? remoteAddress.MapToIPv4() : remoteAddress));

    private static async ValueTask<object?> CheckTokenAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!IsTransportAllowed(http.Request.IsHttps, http.Connection.RemoteIpAddress))
        {
            return Problem(StatusCodes.Status400BadRequest, "HTTPS required", "Use the https:// address of this CreatorKeys: an access token must not travel in the clear.");
        }

        var tokens = http.RequestServices.GetRequiredService<AccessTokenService>();
        using var grant = await tokens.AuthenticateAsync(BearerOf(http), http.RequestAborted);
        if (grant is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problem(StatusCodes.Status401Unauthorized, "Unauthorized", "The access token is missing, wrong, expired or revoked. Create a new one in CreatorKeys under Settings → Access tokens.");
        }

        var asked = http.Request.Query["environment"].ToString();
        if (asked.Length > 0 && VaultEnvironments.ParseCode(asked) != grant.Environment)
        {
            return Problem(StatusCodes.Status403Forbidden, "Forbidden", $"This token reads {grant.Environment.Code()} only. Create a token for {asked.ToUpperInvariant()} to read its keys.");
        }

        http.Items[GrantItem] = grant;
        return await next(invocation);
    }

    private static string? BearerOf(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private static TokenGrant GrantOf(HttpContext http) => (TokenGrant)http.Items[GrantItem]!;

    private static RequestOrigin OriginOf(HttpContext http) =>
        new(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers[HeaderNames.UserAgent].ToString());

    private static SecretDto ToDto(ServedSecret s) => new(s.Name, s.Value, s.Provider, s.Label, s.Hint, s.Updated.UtcDateTime);

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: ProblemBase + status.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public sealed record EnvironmentsResponse(string Install, TokenInfo Token, IReadOnlyList<EnvironmentInfo> Environments);

    public sealed record TokenInfo(string Name, DateTime? ExpiresAt);

    public sealed record EnvironmentInfo(string Name, string Mode);

    public sealed record SecretsResponse(string Environment, string Mode, IReadOnlyList<SecretDto> Secrets);

    public sealed record SecretDto(string Name, string Value, string Provider, string Label, string Hint, DateTime Updated);
}
