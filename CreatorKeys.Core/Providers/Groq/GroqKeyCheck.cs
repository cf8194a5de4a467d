using CreatorKeys.Core.Providers.Connections;

namespace CreatorKeys.Core.Providers.Groq;

/// <summary>Groq: <c>GET https://api.groq.com/openai/v1/models</c> with <c>Authorization: Bearer</c>; a refused key answers 401 <c>invalid_api_key</c>.</summary>
public sealed class GroqKeyCheck : ModelListKeyCheck
{
    public override string ProviderId => "groq";

    public override Uri DocumentedBaseAddress { get; } = new("https://api.groq.com/");

    public override string Path => "openai/v1/models";
}
