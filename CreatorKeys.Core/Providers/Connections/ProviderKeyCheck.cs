using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// One provider's documented read-only call that tells whether a key works: where it goes, how the key is sent, and
/// what each documented answer means. One class per provider, in <c>Core/Providers/&lt;Provider&gt;/</c>; the
/// <see cref="KeyCheckService"/> does the sending, the retries and the wording.
/// </summary>
public abstract class ProviderKeyCheck
{
    /// <summary>The catalog id (<c>openai</c>, <c>anthropic</c> …).</summary>
    public abstract string ProviderId { get; }

    /// <summary>The provider's documented API host, ending with a slash.</summary>
    public abstract Uri DocumentedBaseAddress { get; }

    /// <summary>The call's path relative to the base address, e.g. <c>v1/models</c>. Never carries the key.</summary>
    public abstract string Path { get; }

    /// <summary>Puts the key (and any required version header) on the request's headers.</summary>
    public abstract void Authorize(HttpRequestHeaders headers, string key);

    /// <summary>
    /// What the provider's answer means, or null to let the service decide by status code alone (401/403 refused,
    /// 429 too many, 5xx no answer, anything else unexpected).
    /// </summary>
    public abstract KeyCheckVerdict? Read(ProviderAnswer answer);

    /// <summary>The <c>Authorization: Bearer</c> header most providers use.</summary>
    protected static void Bearer(HttpRequestHeaders headers, string key) => headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
}

/// <summary>A provider's answer as the checks read it: the status and the JSON body (null when it was not JSON).</summary>
public sealed record ProviderAnswer(HttpStatusCode Status, JsonElement? Json)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    /// <summary>The body's top-level property <paramref name="name"/> when it is an array.</summary>
    public bool HasArray(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array;

    /// <summary>The body's top-level property <paramref name="name"/> when it is an object.</summary>
    public bool HasObject(string name) =>
        Json is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object;

    /// <summary>A string found by following <paramref name="path"/> through nested objects, or null.</summary>
    public string? Text(params string[] path)
    {
        if (Json is not { } current)
        {
            return null;
        }

        foreach (var part in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }

    /// <summary>A number found by following <paramref name="path"/>, or null (also for JSON null).</summary>
    public decimal? Number(params string[] path)
    {
        if (Json is not { } current)
        {
            return null;
        }

        foreach (var part in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.Number && current.TryGetDecimal(out var number) ? number : null;
    }
}
