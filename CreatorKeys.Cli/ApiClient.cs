using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CreatorKeys.Cli;

public sealed record TokenInfo(string Name, DateTimeOffset? ExpiresAt);

public sealed record EnvironmentInfo(string Name, string Mode);

public sealed record EnvironmentsResponse(string Install, TokenInfo Token, IReadOnlyList<EnvironmentInfo> Environments);

public sealed record Secret(string Name, string Value, string? Provider, string? Label, string? Hint, DateTimeOffset? Updated);

public sealed record SecretsResponse(string Environment, string Mode, IReadOnlyList<Secret> Secrets);

/// <summary>
/// The read-only API (docs/cli.md, "The API"): a bearer token per request, no cookies, no redirects followed, plain
/// http only to this computer. Every failure becomes a <see cref="CliException"/> whose line names neither the token
/// nor a value.
/// </summary>
public sealed partial class ApiClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;

    public ApiClient(string url)
    {
        _baseAddress = CheckAddress(url);
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>An absolute http(s) address; plain http only when the host is this computer.</summary>
    public static Uri CheckAddress(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CliException(ExitCodes.Usage, $"“{url}” is not a web address; give the install's address, such as https://keys.example.com.");
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            throw new CliException(ExitCodes.Usage, $"Refusing plain http to {uri.Host}: the token would cross the network unencrypted. Use the https:// address (plain http is only for this computer).");
        }

        var text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/";
        return new Uri(text);
    }

    /// <summary>The environment (DEV, STAGING, PROD) a token serves, read from its <c>ck_&lt;env&gt;_</c> prefix.</summary>
    public static string EnvironmentOf(string token)
    {
        var match = TokenShape().Match(token);
        if (!match.Success)
        {
            throw new CliException(ExitCodes.Usage, "That is not a CreatorKeys access token (they start with ck_dev_, ck_staging_ or ck_prod_); make one in Settings → Access tokens.");
        }

        return match.Groups["env"].Value.ToUpperInvariant();
    }

    public Task<EnvironmentsResponse> GetEnvironmentsAsync(string token, CancellationToken cancellationToken) =>
        GetAsync<EnvironmentsResponse>("api/v1/environments", token, cancellationToken);

    public async Task<SecretsResponse> GetSecretsAsync(string token, string environment, CancellationToken cancellationToken)
    {
        var answer = await GetAsync<SecretsResponse>($"api/v1/secrets?environment={Uri.EscapeDataString(environment)}", token, cancellationToken);
        if (!string.Equals(answer.Environment, environment, StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.Forbidden, $"The server answered for {answer.Environment}, not {environment}; nothing was used.");
        }

        return answer;
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_baseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Unreachable, $"Cannot reach {_baseAddress.GetLeftPart(UriPartial.Authority)}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(ExitCodes.Unreachable, $"{_baseAddress.GetLeftPart(UriPartial.Authority)} did not answer within 30 seconds.");
        }

        using (response)
        {
            ThrowForStatus(response);
            try
            {
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                    ?? throw new JsonException("empty");
            }
            catch (Exception e) when (e is JsonException or NotSupportedException or HttpRequestException)
            {
                throw new CliException(ExitCodes.Unreachable, $"{_baseAddress} answered with something that is not the CreatorKeys API; is it the install's address?");
            }
        }
    }

    private void ThrowForStatus(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                return;
            case HttpStatusCode.Unauthorized:
                throw new CliException(ExitCodes.Refused, "This token was refused: it may be revoked or expired — make a new one in Settings → Access tokens.");
            case HttpStatusCode.Forbidden:
                throw new CliException(ExitCodes.Forbidden, "This token may not read that environment (a token serves one environment only).");
            case HttpStatusCode.TooManyRequests:
                throw new CliException(ExitCodes.RateLimited, $"Too many requests with this token: wait {RetryAfter(response)} and try again.");
            case HttpStatusCode.NotFound:
                throw new CliException(ExitCodes.Unreachable, $"{_baseAddress} has no CreatorKeys API (404); is it the install's address, and is the install up to date?");
            case HttpStatusCode.BadRequest when response.Content.Headers.ContentType?.MediaType == "application/problem+json":
                throw new CliException(ExitCodes.Usage, "The server refused the request (400); if the address is plain http, use its https:// address.");
            default:
                if (status is >= 300 and < 400)
                {
                    throw new CliException(ExitCodes.Unreachable, $"{_baseAddress} answered with a redirect ({status}); give the install's final https:// address.");
                }

                throw new CliException(ExitCodes.Unreachable, $"{_baseAddress} answered {status} {response.ReasonPhrase}; try again later.");
        }
    }

    private static string RetryAfter(HttpResponseMessage response)
    {
        var retry = response.Headers.RetryAfter;
        var wait = retry?.Delta ?? (retry?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } value)
        {
            return "a minute";
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));
        return seconds == 1 ? "1 second" : string.Create(CultureInfo.InvariantCulture, $"{seconds} seconds");
    }

    [GeneratedRegex(@"^ck_(?<env>dev|staging|prod)_[A-Za-z0-9]+\.[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();
}
