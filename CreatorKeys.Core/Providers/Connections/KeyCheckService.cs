using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Asks a provider whether a key works, with the provider's documented read-only call. The key travels only in a
/// request header, never in an address, so no log line (ours or HttpClient's) can carry it.
/// </summary>
public sealed partial class KeyCheckService(
    IHttpClientFactory httpClients,
    IEnumerable<ProviderKeyCheck> checks,
    IOptions<ProviderConnectionOptions> options,
    TimeProvider time,
    ILogger<KeyCheckService> logger)
{
    /// <summary>The named HttpClient every provider call goes through (timeouts and one retry, see <see cref="ProviderConnectionsRegistration"/>).</summary>
    public const string HttpClientName = "CreatorKeys.Providers";

    /// <summary>The most of an answer read: a models list is tens of kilobytes; anything larger is not what was asked for.</summary>
    private const int MaxAnswerBytes = 4 * 1024 * 1024;

    private readonly Dictionary<string, ProviderKeyCheck> _checks = checks.ToDictionary(c => c.ProviderId, StringComparer.OrdinalIgnoreCase);

    /// <summary>False when this install has provider calls turned off (<c>CreatorKeys:Providers:Calls = Off</c>).</summary>
    public bool CallsAllowed => options.Value.CallsAllowed;

    /// <summary>Why no check can run on this install, in plain words; null when calls are on.</summary>
    public string? WhyOff => CallsAllowed
        ? null
        : "Checks with providers are turned off on this CreatorKeys, so nothing leaves this machine. Whoever runs it can turn them on (CreatorKeys:Providers:Calls).";

    /// <summary>Whether <paramref name="providerId"/> has a documented call that checks a key.</summary>
    public bool CanCheck(string providerId) => _checks.ContainsKey(providerId);

    /// <summary>Every provider id with a check, in catalog order.</summary>
    public IReadOnlyList<string> CheckableProviders => ProviderCatalog.Shipped.Providers.Select(p => p.Id).Where(_checks.ContainsKey).ToList();

    /// <summary>Asks <paramref name="providerId"/> whether <paramref name="key"/> works. Never throws for a provider's failure.</summary>
    public async Task<KeyCheckResult> CheckAsync(string providerId, string key, CancellationToken cancellationToken = default)
    {
        var name = ProviderCatalog.Shipped.Find(providerId)?.Name ?? providerId;
        if (!CallsAllowed)
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, WhyOff!);
        }

        if (!_checks.TryGetValue(providerId, out var check))
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, $"CreatorKeys cannot check {name} keys: {name} has no documented way to ask whether a key works.");
        }

        key = key.Trim();
        if (key.Length == 0 || key.Any(c => c < '!' || c > '~'))
        {
            return Result(providerId, KeyCheckOutcome.NotSent, "Not checked: this value has spaces, line breaks or accented letters, which no API key has. Check what was pasted.");
        }

        var address = new Uri(options.Value.BaseAddressFor(check.ProviderId, check.DocumentedBaseAddress), check.Path);
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        check.Authorize(request.Headers, key);
        request.Headers.Accept.ParseAdd("application/json");

        var client = httpClients.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            LogNoAnswer(logger, check.ProviderId, error.GetType().Name);
            return Result(providerId, KeyCheckOutcome.NoAnswer, $"{name} did not answer. Try again in a few minutes.");
        }

        using (response)
        {
            var answer = new ProviderAnswer(response.StatusCode, await ReadJsonAsync(response, cancellationToken));
            var verdict = check.Read(answer) ?? ByStatus(response.StatusCode);
            var retryAfter = verdict.Outcome == KeyCheckOutcome.TooManyChecks ? RetryAfter(response, time.GetUtcNow()) : null;
            LogChecked(logger, check.ProviderId, verdict.Outcome, (int)response.StatusCode);
            return Result(providerId, verdict.Outcome, Words(name, verdict, retryAfter, response.StatusCode), (int)response.StatusCode, retryAfter);
        }
    }

    private static KeyCheckVerdict ByStatus(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => KeyCheckVerdict.Refused,
        429 => new KeyCheckVerdict(KeyCheckOutcome.TooManyChecks),
        >= 500 => new KeyCheckVerdict(KeyCheckOutcome.NoAnswer),
        _ => KeyCheckVerdict.Unexpected,
    };

    private static string Words(string name, KeyCheckVerdict verdict, TimeSpan? retryAfter, HttpStatusCode status) => verdict.Outcome switch
    {
        KeyCheckOutcome.Works => $"Works: {name} accepted this key.",
        KeyCheckOutcome.Limited => $"Works, but {verdict.CannotDo}.",
        KeyCheckOutcome.Refused => $"Refused by {name}: the key was revoked, deleted or mistyped.",
        KeyCheckOutcome.NoAnswer => $"{name} did not answer properly (a problem on their side). Try again in a few minutes.",
        KeyCheckOutcome.TooManyChecks => retryAfter is { } wait
            ? $"Too many checks: {name} asks you to wait {Plain(wait)} before the next one."
            : $"Too many checks: {name} asks you to wait a little before the next one.",
        _ => $"{name} answered in a way CreatorKeys does not recognise (HTTP {(int)status}). Check the key on {name}'s own site.",
    };

    internal static string Plain(TimeSpan wait)
    {
        var seconds = (int)Math.Ceiling(wait.TotalSeconds);
        return seconds switch
        {
            <= 1 => "a second",
            < 120 => $"{seconds} seconds",
            _ => $"{(int)Math.Ceiling(seconds / 60.0)} minutes",
        };
    }

    /// <summary>The wait a 429 asks for (Retry-After as seconds or as a date, never negative); null when it names none. Shared by the spend readings.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    internal static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var limited = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (limited.Length + read > MaxAnswerBytes)
                {
                    return null;
                }

                await limited.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            if (limited.Length == 0)
            {
                return null;
            }

            limited.Position = 0;
            using var document = await JsonDocument.ParseAsync(limited, cancellationToken: cancellationToken);
            return document.RootElement.Clone();
        }
        catch (Exception error) when (error is JsonException or HttpRequestException or IOException)
        {
            return null;
        }
    }

    private KeyCheckResult Result(string providerId, KeyCheckOutcome outcome, string message, int? status = null, TimeSpan? retryAfter = null) =>
        new(providerId, outcome, message, time.GetUtcNow(), status, retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked a {Provider} key: {Outcome} (HTTP {Status})")]
    private static partial void LogChecked(ILogger logger, string provider, KeyCheckOutcome outcome, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Provider} key check got no answer ({Error})")]
    private static partial void LogNoAnswer(ILogger logger, string provider, string error);
}
