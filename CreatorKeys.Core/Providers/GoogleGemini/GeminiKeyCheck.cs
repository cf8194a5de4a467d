using System.Net.Http.Headers;
using System.Text.Json;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.GoogleGemini;

/// <summary>
/// Google Gemini: <c>GET https://generativelanguage.googleapis.com/v1beta/models</c> with <c>x-goog-api-key</c> (never
/// the <c>?key=</c> form, which would put the key in an address and so in logs). A refused key answers 400 with the
/// reason <c>API_KEY_INVALID</c>; 403 is a valid Google key without Gemini access.
/// </summary>
public sealed class GeminiKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "google-gemini";

    public override Uri DocumentedBaseAddress { get; } = new("https://generativelanguage.googleapis.com/");

    public override string Path => "v1beta/models";

    public override void Authorize(HttpRequestHeaders headers, string key) => headers.Add("x-goog-api-key", key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.HasArray("models") ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        var reasons = Reasons(answer);
        return (int)answer.Status switch
        {
            400 when reasons.Contains("API_KEY_INVALID") => KeyCheckVerdict.Refused,
            400 when answer.Text("error", "status") == "FAILED_PRECONDITION" => KeyCheckVerdict.Limited("Google refuses Gemini calls from the country this server is in"),
            401 => KeyCheckVerdict.Refused,
            403 => KeyCheckVerdict.Limited("this Google key may not use Gemini (the Generative Language API is off for its project, or the key is restricted to other APIs)"),
            _ => null,
        };
    }

    private static HashSet<string> Reasons(ProviderAnswer answer)
    {
        var reasons = new HashSet<string>(StringComparer.Ordinal);
        if (answer.Json is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                if (detail.ValueKind == JsonValueKind.Object && detail.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                {
                    reasons.Add(reason.GetString()!);
                }
            }
        }

        return reasons;
    }
}
