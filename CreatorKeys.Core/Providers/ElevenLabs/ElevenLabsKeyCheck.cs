using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.ElevenLabs;

/// <summary>
/// ElevenLabs: <c>GET https://api.elevenlabs.io/v1/user</c> with <c>xi-api-key</c>. A refused key answers 401 with
/// <c>detail.status = invalid_api_key</c>; a key restricted to some features answers 401 <c>missing_permissions</c>,
/// which means it works but is scoped.
/// </summary>
public sealed class ElevenLabsKeyCheck : ProviderKeyCheck
{
    public override string ProviderId => "elevenlabs";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.elevenlabs.io/");

    public override string Path => "v1/user";

    public override void Authorize(HttpRequestHeaders headers, string key) => headers.Add("xi-api-key", key);

    public override KeyCheckVerdict? Read(ProviderAnswer answer)
    {
        if (answer.IsSuccess)
        {
            return answer.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } ? KeyCheckVerdict.Works : KeyCheckVerdict.Unexpected;
        }

        return ((int)answer.Status, answer.Text("detail", "status")) switch
        {
            (401, "missing_permissions") => KeyCheckVerdict.Limited("it is a restricted key that may not read the account (its other permissions were not checked)"),
            (401, _) => KeyCheckVerdict.Refused,
            _ => null,
        };
    }
}
