using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Anthropic;

/// <summary>
/// Anthropic: <c>GET https://api.anthropic.com/v1/models</c> with <c>x-api-key</c> and
/// <c>anthropic-version: 2023-06-01</c>. A refused key answers 401 <c>authentication_error</c>; 403
/// <c>permission_error</c> is a key that works but may not do this.
/// </summary>
public sealed class AnthropicKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "anthropic";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.anthropic.com/");

    public override string Path => "v1/models";

    public override void Authorize(HttpRequestHeaders headers, string key)
    {
        headers.Add("x-api-key", key);
        headers.Add("anthropic-version", "2023-06-01");
    }

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.HasArray("data") ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        return ((int)answer.Status, answer.Text("error", "type")) switch
        {
            (401, _) => KeyCheckVerdict.Refused,
            (403, "permission_error") => KeyCheckVerdict.Limited("it does not have permission to list models (its other permissions were not checked)"),
            _ => null,
        };
    }
}
