using System.Net.Http.Headers;
using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.ElevenLabs;

/// <summary>
/// ElevenLabs: <c>GET https://api.elevenlabs.io/v1/user/subscription</c> with <c>xi-api-key</c> answers the plan's
/// <c>character_count</c> (used this billing month), <c>character_limit</c> and <c>next_character_count_reset_unix</c>.
/// Characters, not dollars. A refused key answers 401 <c>invalid_api_key</c>; a restricted key without the
/// <c>user_read</c> permission answers 401 <c>missing_permissions</c>: it works, but cannot report its use.
/// </summary>
public sealed class ElevenLabsSpendReading : IProviderSpendReading
{
    public string ProviderId => "elevenlabs";

    public Uri DocumentedBaseAddress { get; } = new("https://api.elevenlabs.io/");

    public string Path => "v1/user/subscription";

    public void Authorize(HttpRequestHeaders headers, string key) => headers.Add("xi-api-key", key);

    public SpendVerdict? Read(ProviderAnswer answer)
    {
        if (!answer.IsSuccess)
        {
            return ((int)answer.Status, answer.Text("detail", "status")) switch
            {
                (401, "missing_permissions") => new SpendVerdict(KeyCheckOutcome.Limited, CannotDo: "it is a restricted key that may not read the account's usage (it needs the user_read permission)"),
                (401, _) => SpendVerdict.Refused,
                _ => null,
            };
        }

        if (answer.Number("character_count") is not { } used || answer.Number("character_limit") is not { } limit || used < 0 || limit < 0)
        {
            return SpendVerdict.Unexpected;
        }

        DateTimeOffset? resets = answer.Number("next_character_count_reset_unix") is { } unix && unix is > 0 and < 253_402_300_800
            ? DateTimeOffset.FromUnixTimeSeconds((long)unix)
            : null;
        return SpendVerdict.Read(new SpendFigures(SpendUnit.Characters, used, limit, used, SpendPeriod.Month, resets));
    }
}
