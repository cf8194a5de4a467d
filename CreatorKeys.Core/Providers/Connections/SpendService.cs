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
    IEnumerable<IProviderProjectSpendReading> projectReadings,
    IOptions<ProviderConnectionOptions> options,
    TimeProvider time,
    ILogger<SpendService> logger)
{
    /// <summary>Pages of one project reading at most: a month is one page of daily buckets; more is a cursor going round.</summary>
    public const int MaxPages = 10;

    private readonly Dictionary<string, IProviderSpendReading> _readings = readings.ToDictionary(r => r.ProviderId, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IProviderProjectSpendReading> _projectReadings = projectReadings.ToDictionary(r => r.ProviderId, StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc cref="KeyCheckService.CallsAllowed"/>
    public bool CallsAllowed => options.Value.CallsAllowed;

    /// <summary>Whether <paramref name="providerId"/> reports a key's use through a call CreatorKeys knows.</summary>
    public bool CanRead(string? providerId) => providerId is not null && (_readings.ContainsKey(providerId) || _projectReadings.ContainsKey(providerId));

    /// <summary>
    /// Whether <paramref name="providerId"/> reports spend only per project, to its admin key (OpenAI): the figure is the
    /// project's, and reading it needs the stored management key and the key's project.
    /// </summary>
    public bool ReadsPerProject(string? providerId) => providerId is not null && _projectReadings.ContainsKey(providerId);

    /// <summary>Every provider id that reports spend, in catalog order.</summary>
    public IReadOnlyList<string> ReadableProviders => ProviderCatalog.Shipped.Providers.Select(p => p.Id).Where(CanRead).ToList();

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
            return Result(providerId, KeyCheckOutcome.Unavailable, ReadsPerProject(providerId)
                ? $"{name} reports spend per project, to your {name} {ManagementKeys.KindOf(providerId)} only: a key's own value cannot read it."
                : $"{name} does not report a key's spend in a way CreatorKeys can read. Check it on {name}'s own billing page.");
        }

        key = key.Trim();
        if (key.Length == 0 || key.Any(c => c < '!' || c > '~'))
        {
            return Result(providerId, KeyCheckOutcome.NotSent, "Not read: this value has spaces, line breaks or accented letters, which no API key has.");
        }

        var address = new Uri(options.Value.BaseAddressFor(reading.ProviderId, reading.DocumentedBaseAddress), reading.Path);
        var (response, failed) = await SendAsync(reading.ProviderId, address, headers => reading.Authorize(headers, key), cancellationToken);
        if (response is null)
        {
            return Result(providerId, failed!.Value, $"{name} did not answer. Try again in a few minutes.");
        }

        using (response)
        {
            var answer = new ProviderAnswer(response.StatusCode, await KeyCheckService.ReadJsonAsync(response, cancellationToken));
            var verdict = reading.Read(answer) ?? ByStatus((int)response.StatusCode);
            if (verdict.Outcome == KeyCheckOutcome.Works && verdict.Figures is null)
            {
                verdict = SpendVerdict.Unexpected;
            }

            var retryAfter = verdict.Outcome == KeyCheckOutcome.TooManyChecks ? KeyCheckService.RetryAfter(response, time.GetUtcNow()) : null;
            LogRead(logger, reading.ProviderId, verdict.Outcome, (int)response.StatusCode);
            return Result(providerId, verdict.Outcome, Words(name, verdict, retryAfter, (int)response.StatusCode), verdict.Figures, (int)response.StatusCode, retryAfter);
        }
    }

    /// <summary>
    /// Asks <paramref name="providerId"/> how much <paramref name="projectId"/> has spent since the start of the UTC month,
    /// with the <paramref name="managementKey"/> (sent only in a header), following the provider's pages. The figure is the
    /// project's: every key in it. Never throws for a provider's failure; a failed page keeps no partial figure.
    /// </summary>
    public async Task<SpendReadResult> ReadProjectAsync(string providerId, string managementKey, string projectId, CancellationToken cancellationToken = default)
    {
        var name = ProviderCatalog.Shipped.Find(providerId)?.Name ?? providerId;
        if (!CallsAllowed)
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, "Spend readings are turned off on this CreatorKeys, so nothing leaves this machine. Whoever runs it can turn provider calls on (CreatorKeys:Providers:Calls).");
        }

        if (!_projectReadings.TryGetValue(providerId, out var reading))
        {
            return Result(providerId, KeyCheckOutcome.Unavailable, $"{name} does not report a project's spend in a way CreatorKeys can read.");
        }

        managementKey = managementKey.Trim();
        projectId = projectId.Trim();
        if (managementKey.Length == 0 || managementKey.Any(c => c < '!' || c > '~') || projectId.Length == 0)
        {
            return Result(providerId, KeyCheckOutcome.NotSent, "Not read: the admin key or the project is missing or has characters no key or project id has.");
        }

        var now = time.GetUtcNow().ToUniversalTime();
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var total = 0m;
        string? page = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var pages = 0; ; pages++)
        {
            if (pages == MaxPages)
            {
                return Result(providerId, KeyCheckOutcome.Unexpected, Words(name, SpendVerdict.Unexpected, null, 200));
            }

            var address = new Uri(options.Value.BaseAddressFor(reading.ProviderId, reading.DocumentedBaseAddress), reading.PagePath(monthStart, now, projectId, page));
            var (response, failed) = await SendAsync(reading.ProviderId, address, headers => reading.Authorize(headers, managementKey), cancellationToken);
            if (response is null)
            {
                return Result(providerId, failed!.Value, $"{name} did not answer. Try again in a few minutes.");
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var answer = new ProviderAnswer(response.StatusCode, await KeyCheckService.ReadJsonAsync(response, cancellationToken));
                var read = reading.Read(answer, projectId);
                var verdict = read.DecideByStatus ? ByStatus(status) : read.Verdict;
                if (verdict is not null)
                {
                    var retryAfter = verdict.Outcome == KeyCheckOutcome.TooManyChecks ? KeyCheckService.RetryAfter(response, time.GetUtcNow()) : null;
                    LogRead(logger, reading.ProviderId, verdict.Outcome, status);
                    var words = verdict.Outcome == KeyCheckOutcome.Refused
                        ? $"Refused by {name}: the admin key was revoked, deleted or mistyped, or it is not an admin key, so it reports no spend."
                        : Words(name, verdict, retryAfter, status);
                    return Result(providerId, verdict.Outcome, words, null, status, retryAfter);
                }

                total += read.Amount;
                if (read.NextPage is null)
                {
                    LogRead(logger, reading.ProviderId, KeyCheckOutcome.Works, status);
                    return Result(providerId, KeyCheckOutcome.Works, $"Read: {name} reported the spend of project {projectId} (every key in that project).", new SpendFigures(SpendUnit.Dollars, total), status);
                }

                if (!seen.Add(read.NextPage))
                {
                    return Result(providerId, KeyCheckOutcome.Unexpected, Words(name, SpendVerdict.Unexpected, null, status));
                }

                page = read.NextPage;
            }
        }
    }

    private async Task<(HttpResponseMessage? Response, KeyCheckOutcome? Failed)> SendAsync(string providerId, Uri address, Action<System.Net.Http.Headers.HttpRequestHeaders> authorize, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        authorize(request.Headers);
        request.Headers.Accept.ParseAdd("application/json");
        try
        {
            return (await httpClients.CreateClient(KeyCheckService.HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken), null);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            LogNoAnswer(logger, providerId, error.GetType().Name);
            return (null, KeyCheckOutcome.NoAnswer);
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

    private SpendReadResult Result(string providerId, KeyCheckOutcome outcome, string message, SpendFigures? figures = null, int? status = null, TimeSpan? retryAfter = null) =>
        new(providerId, outcome, message, time.GetUtcNow(), figures, status, retryAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read a {Provider} key's spend: {Outcome} (HTTP {Status})")]
    private static partial void LogRead(ILogger logger, string provider, KeyCheckOutcome outcome, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Provider} spend reading got no answer ({Error})")]
    private static partial void LogNoAnswer(ILogger logger, string provider, string error);
}
