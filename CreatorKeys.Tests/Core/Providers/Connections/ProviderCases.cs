namespace CreatorKeys.Tests.Core.Providers.Connections;

/// <summary>
/// Each checkable provider's documented call and answers: the path, the header that carries the key (and its
/// form), a working answer and the answer to a refused key, copied in shape from the providers' API references.
/// </summary>
public sealed record ProviderCase(string Id, string Path, string Header, string HeaderFormat, string WorksBody, int RefusedStatus, string RefusedBody)
{
    public string HeaderValue(string key) => string.Format(System.Globalization.CultureInfo.InvariantCulture, HeaderFormat, key);

    public override string ToString() => Id;
}

public static class ProviderCases
{
    public static IReadOnlyList<ProviderCase> All { get; } =
    [
        new("openai", "/v1/models", "Authorization", "Bearer {0}",
            """{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"}]}""",
            401, """{"error":{"message":"Incorrect API key provided: sk-proj-****wxyz. You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""),
        new("anthropic", "/v1/models", "x-api-key", "{0}",
            """{"data":[{"type":"model","id":"claude-sonnet-4-20250514","display_name":"Claude Sonnet 4","created_at":"2025-05-22T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-20250514","last_id":"claude-sonnet-4-20250514"}""",
            401, """{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}"""),
        new("openrouter", "/api/v1/key", "Authorization", "Bearer {0}",
            """{"data":{"label":"sk-or-v1-abc...123","limit":20,"usage":3.5,"usage_daily":0.5,"usage_weekly":1.2,"usage_monthly":3.5,"is_free_tier":false,"limit_remaining":16.5,"limit_reset":"monthly"}}""",
            401, """{"error":{"code":401,"message":"User not found."}}"""),
        new("elevenlabs", "/v1/user", "xi-api-key", "{0}",
            """{"user_id":"u-1234","subscription":{"tier":"creator","character_count":1200,"character_limit":100000},"is_new_user":false}""",
            401, """{"detail":{"status":"invalid_api_key","message":"Invalid API key"}}"""),
        new("replicate", "/v1/account", "Authorization", "Bearer {0}",
            """{"type":"user","username":"maya","name":"Maya","github_url":null}""",
            401, """{"title":"Unauthenticated","detail":"You did not pass a valid authentication token","status":401}"""),
        new("google-gemini", "/v1beta/models", "x-goog-api-key", "{0}",
            """{"models":[{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash"}],"nextPageToken":""}""",
            400, """{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"API_KEY_INVALID","domain":"googleapis.com","metadata":{"service":"generativelanguage.googleapis.com"}}]}}"""),
        new("stability", "/v1/user/account", "Authorization", "Bearer {0}",
            """{"id":"user-1234","email":"maya@example.com","organizations":[{"id":"org-1","name":"Maya","role":"OWNER","is_default":true}]}""",
            401, """{"id":"9160aa70222f56ff8ab3b6d2ba0ee0e2","name":"unauthorized","message":"invalid api key"}"""),
        new("groq", "/openai/v1/models", "Authorization", "Bearer {0}",
            """{"object":"list","data":[{"id":"llama-3.3-70b-versatile","object":"model","created":1733447754,"owned_by":"Meta","active":true,"context_window":131072}]}""",
            401, """{"error":{"message":"Invalid API Key","type":"invalid_request_error","code":"invalid_api_key"}}"""),
        new("mistral", "/v1/models", "Authorization", "Bearer {0}",
            """{"object":"list","data":[{"id":"mistral-small-latest","object":"model","created":1711430400,"owned_by":"mistralai"}]}""",
            401, """{"message":"Unauthorized","request_id":"4c1a2b"}"""),
        new("together", "/v1/models", "Authorization", "Bearer {0}",
            """[{"id":"meta-llama/Llama-3.3-70B-Instruct-Turbo","object":"model","created":0,"type":"chat"}]""",
            401, """{"error":{"message":"Invalid API key provided. You can find your API key at https://api.together.xyz/settings/api-keys.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""),
    ];

    public static TheoryData<string> Ids
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var provider in All)
            {
                data.Add(provider.Id);
            }

            return data;
        }
    }

    public static ProviderCase Get(string id) => All.Single(p => p.Id == id);
}
