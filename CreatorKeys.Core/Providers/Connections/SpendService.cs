using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Asks a provider how much a key has used, with the provider's documented read-only call, through the same named
/// HttpClient (timeouts, one retry on 5xx and timeouts, Retry-After) and settings as the key check: the base address
/// setting, and <c>CreatorKeys:Providers:Calls = Off</c>. The key travels only in a request header.
/// </summary>
public sealed partial class SpendService(
    IHttpClientFactory httpClients,
    IEnumerable<IProviderSpendReading> readings,
    IOptions<ProviderConnectionOptions> options,
    TimeProvider time,
    ILogger<SpendService> logger)
{
    private readonly Dictionary<string, IProviderSpendReading> _readings = readings.ToDictionary(r => r.ProviderId, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc cref="KeyCheckService.CallsAllowed"/>
    public bool CallsAllowed => options.Value.CallsAllowed;

    /// <summary>Whether <paramref name="providerId"/> reports a key's use through a call CreatorKeys knows.</summary>
    public bool CanRead(string? providerId) => providerId is not null && _readings.ContainsKey(providerId);

    /// <summary>Every provider id that reports spend, in catalog order.</summary>
    public IReadOnlyList<string> ReadableProviders => ProviderCatalog.Shipped.Providers.Select(p => p.Id).Where(_readings.ContainsKey).ToList();

    /// <summary>Asks <paramref name="providerId"/> how much <paramref name="key"/> has used. Never throws for a provider's failure.</summary>
    public async Task<SpendReadResult> ReadAsync(string providerId, string key, CancellationToken cancellationToken = default)
    {
        var name = ProviderCatalog.Shipped.Find(providerId)?.Name ?? providerId;
        if (!CallsAllowed)
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, "Spend readings are turned off on this CreatorKeys, so nothing leaves this machine. Whoever runs it can turn provider calls on (CreatorKeys:Providers:Calls).");
        }

        if (!_readings.TryGetValue(providerId, out var reading))
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, $"{name} does not report a key's spend in a way CreatorKeys can read. Check it on {name}'s own billing page.");
        }

        key = key.Trim();
        if (key.Length == 0 || key.Any(c => c < '!' || c > '~'))
        {
            return Result(providerId, KeyCheckOutcome.NotSent, "Not read: this value has spaces, line breaks or accented letters, which no API key has.");
        }

        var address = new Uri(options.Value.BaseAddressFor(reading.ProviderId, reading.DocumentedBaseAddress), reading.Path);
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        reading.Authorize(request.Headers, key);
        request.Headers.Accept.ParseAdd("application/json");

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(KeyCheckService.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            LogNoAnswer(logger, reading.ProviderId, error.GetType().Name);
            return Result(providerId, KeyCheckOutcome.NoAnswer, $"{name} did not answer. Try again in a few minutes.");
        }

        using (response)
        {
            var answer = new ProviderAnswer(response.StatusCode, await KeyCheckService.ReadJsonAsync(response, cancellationToken));
            var verdict = reading.Read(answer) ?? ByStatus((int)response.StatusCode);
            if (verdict.Outcome == KeyCheckOutcome.Works && verdict.Figures is null)
            {
                verdict = SpendVerdict.Unexpected;
            }

            var retryAfter = verdict.Outcome == KeyCheckOutcome.TooManyChecks ? RetryAfter(response) : null;
            LogRead(logger, reading.ProviderId, verdict.Outcome, (int)response.StatusCode);
            return Result(providerId, verdict.Outcome, Words(name, verdict, retryAfter, (int)response.StatusCode), verdict.Figures, (int)response.StatusCode, retryAfter);
        }
    }

    private static SpendVerdict ByStatus(int status) => status switch
    {
        401 or 403 => SpendVerdict.Refused,
        429 => new SpendVerdict(KeyCheckOutcome.TooManyChecks),
        >= 500 => new SpendVerdict(KeyCheckOutcome.NoAnswer),
        _ => SpendVerdict.Unexpected,
    };

    private static string Words(string name, SpendVerdict verdict, TimeSpan? retryAfter, int status) => verdict.Outcome switch
    {
        KeyCheckOutcome.Works => $"Read: {name} reported this key's use.",
        KeyCheckOutcome.Limited => $"Not read: the key works, but {verdict.CannotDo}.",
        KeyCheckOutcome.Refused => $"Refused by {name}: the key was revoked, deleted or mistyped, so it reports no spend.",
        KeyCheckOutcome.NoAnswer => $"{name} did not answer properly (a problem on their side). Try again in a few minutes.",
        KeyCheckOutcome.TooManyChecks => retryAfter is { } wait
            ? $"Too many requests: {name} asks you to wait {KeyCheckService.Plain(wait)} before reading again."
            : $"Too many requests: {name} asks you to wait a little before reading again.",
        _ => $"{name} answered in a way CreatorKeys does not recognise (HTTP {status}), so no figure was kept. Check the spend on {name}'s own billing page.",
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (response.Headers.RetryAfter?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private SpendReadResult Result(string providerId, KeyCheckOutcome outcome, string message, SpendFigures? figures = null, int? status = null, TimeSpan? retryAfter = null) =>
        new(providerId, outcome, message, time.GetUtcNow(), figures, status, retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read a {Provider} key's spend: {Outcome} (HTTP {Status})")]
    private static partial void LogRead(ILogger logger, string provider, KeyCheckOutcome outcome, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Provider} spend reading got no answer ({Error})")]
    private static partial void LogNoAnswer(ILogger logger, string provider, string error);
}
