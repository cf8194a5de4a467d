using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// Sends one key-management call through the shared named HttpClient (timeouts; retries only for calls that are safe
/// to repeat: a create is never sent twice) to the provider's configured base address. The management key travels
/// only in a header; no value is ever logged.
/// </summary>
public sealed partial class ProviderApi(IHttpClientFactory httpClients, IOptions<ProviderConnectionOptions> options, ILogger<ProviderApi> logger)
{
    public bool CallsAllowed => options.Value.CallsAllowed;

    /// <summary>Sends <paramref name="method"/> to <paramref name="path"/> (ids only, never a value) with an optional JSON body.</summary>
    public async Task<(ProviderAnswer? Answer, ProviderFailure? Failure)> SendAsync(
        IProviderKeyRotation provider, HttpMethod method, string path, string managementKey, object? body, CancellationToken cancellationToken)
    {
        if (!CallsAllowed)
        {
            return (null, ProviderFailure.NotSent);
        }

        managementKey = managementKey.Trim();
        if (managementKey.Length == 0 || managementKey.Any(c => c < '!' || c > '~'))
        {
            return (null, ProviderFailure.NotSent);
        }

        var address = new Uri(options.Value.BaseAddressFor(provider.ProviderId, provider.DocumentedBaseAddress), path);
        using var request = new HttpRequestMessage(method, address);
        provider.Authorize(request.Headers, managementKey);
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: JsonOptions);
        }

        var client = httpClients.CreateClient(KeyCheckService.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            LogNoAnswer(logger, provider.ProviderId, method.Method, error.GetType().Name);
            return (null, ProviderFailure.NoAnswer);
        }

        using (response)
        {
            var answer = new ProviderAnswer(response.StatusCode, await KeyCheckService.ReadJsonAsync(response, cancellationToken));
            var status = (int)response.StatusCode;
            LogAnswered(logger, provider.ProviderId, method.Method, status);
            return status switch
            {
                >= 200 and < 300 => (answer, null),
                401 or 403 => (answer, ProviderFailure.Refused),
                404 => (answer, ProviderFailure.NotFound),
                429 => (answer, ProviderFailure.TooMany),
                >= 500 => (answer, ProviderFailure.NoAnswer),
                _ => (answer, ProviderFailure.Unexpected),
            };
        }
    }

    /// <summary>An id as one path segment: ids are letters, digits, - and _; anything else is escaped.</summary>
    public static string Segment(string id) => Uri.EscapeDataString(id);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    [LoggerMessage(Level = LogLevel.Information, Message = "Key management call to {Provider} ({Method}): HTTP {Status}")]
    private static partial void LogAnswered(ILogger logger, string provider, string method, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key management call to {Provider} ({Method}) got no answer ({Error})")]
    private static partial void LogNoAnswer(ILogger logger, string provider, string method, string error);
}
