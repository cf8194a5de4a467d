using System.Globalization;

namespace CreatorKeys.Tests.Core.Rotation;

/// <summary>
/// The providers' documented key-management answers, copied in shape from their API references (OpenRouter "API key
/// management" /api/v1/keys; OpenAI Admin API projects and project service accounts; Anthropic Admin API "Update API
/// Key"). When a provider changes its answers, this file and the provider's class change together.
/// </summary>
public static class ProviderRotationBodies
{
    public const string OpenRouterNewHash = "f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943";

    public const string OpenRouterNewValue = "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";

    public const string OpenAiNewValue = "sk-svcacct-NewServiceAccountValue0123456789abcdefWXYZ";

    /// <summary>POST /api/v1/keys: the key's data and, once, the key itself.</summary>
    public static string OpenRouterCreated => $$$"""
        {"data":{"hash":"{{{OpenRouterNewHash}}}","name":"PROD — OpenRouter — Created 2026-12-07","label":"sk-or-v1-d35...855d","disabled":false,"limit":20,"limit_remaining":20,"limit_reset":"monthly","include_byok_in_limit":false,"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"created_at":"2026-12-07T10:30:00Z","updated_at":null},"key":"{{{OpenRouterNewValue}}}"}
        """;

    /// <summary>GET /api/v1/keys/{hash}: the key's data, with its limit (null when it has none).</summary>
    public static string OpenRouterKey(decimal? limit) => $$$"""
        {"data":{"hash":"{{{OpenRouterNewHash}}}","name":"PROD — OpenRouter — Created 2026-12-07","label":"sk-or-v1-d35...855d","disabled":false,"limit":{{{(limit is { } l ? l.ToString(CultureInfo.InvariantCulture) : "null")}}},"limit_remaining":{{{(limit is { } r ? r.ToString(CultureInfo.InvariantCulture) : "null")}}},"limit_reset":"monthly","include_byok_in_limit":false,"usage":0,"created_at":"2026-12-07T10:30:00Z","updated_at":null}}
        """;

    /// <summary>GET /v1/organization/projects: one active and one archived project.</summary>
    public const string OpenAiProjects = """
        {"object":"list","data":[{"id":"proj_abc","object":"organization.project","name":"Project example","created_at":1711471533,"archived_at":null,"status":"active"},{"id":"proj_old","object":"organization.project","name":"Old project","created_at":1711471533,"archived_at":1711471999,"status":"archived"}],"first_id":"proj_abc","last_id":"proj_old","has_more":false}
        """;

    /// <summary>POST /v1/organization/projects/{project_id}/service_accounts: the account and, once, its key's value.</summary>
    public static string OpenAiServiceAccountCreated => $$$"""
        {"object":"organization.project.service_account","id":"svc_acct_abc","name":"PROD — OpenAI — Created 2026-12-07","role":"member","created_at":1711471533,"api_key":{"object":"organization.project.service_account.api_key","value":"{{{OpenAiNewValue}}}","name":"Secret Key","created_at":1711471533,"id":"key_abc"}}
        """;

    /// <summary>POST /v1/organizations/api_keys/{api_key_id}: the key with its new status.</summary>
    public static string AnthropicKey(string status) => $$$"""
        {"id":"apikey_01Rj2N8SVvo6BePZj99NhmiT","created_at":"2024-10-30T23:58:27.427722Z","created_by":{"id":"user_01WCz1FkmYMm4gnmykNKUu3Q","type":"user"},"expires_at":null,"name":"Developer Key","partial_key_hint":"sk-ant-api03-R2D...igAA","status":"{{{status}}}","type":"api_key","workspace_id":"wrkspc_01JwQvzr7rXLA5AGx3HKfFUJ"}
        """;

    public const string ElevenLabsNewValue = "sk_9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";

    public const string ElevenLabsNewKeyId = "key_new123";

    /// <summary>
    /// GET /v1/service-accounts (ElevenLabs "Get service accounts"): one service account with the old key, restricted
    /// to two permissions, and (when <paramref name="newKeyLimit"/> is given) the new key with its character limit.
    /// </summary>
    public static string ElevenLabsServiceAccounts(long? newKeyLimit = null) => $$$"""
        {"service-accounts":[{"service_account_user_id":"sa_user_123","name":"Video pipeline","created_at_unix":1712345678,"api-keys":[{"name":"PROD — ElevenLabs — main","hint":"****6071","key_id":"key_old456","service_account_user_id":"sa_user_123","created_at_unix":1712345680,"is_disabled":false,"permissions":["text_to_speech","voices_read"],"character_limit":100000,"character_count":1234}{{{ElevenLabsNewKey(newKeyLimit)}}}],"default_sharing_groups":[]}]}
        """;

    private static string ElevenLabsNewKey(long? limit) => limit is null ? "" : $$$"""
        ,{"name":"PROD — ElevenLabs — Created 2026-12-07","hint":"****3928","key_id":"{{{ElevenLabsNewKeyId}}}","service_account_user_id":"sa_user_123","created_at_unix":1765100000,"is_disabled":false,"permissions":["text_to_speech","voices_read"],"character_limit":{{{limit.Value.ToString(CultureInfo.InvariantCulture)}}},"character_count":0}
        """;

    /// <summary>POST /v1/service-accounts/{service_account_user_id}/api-keys: the value, once, and the key's id.</summary>
    public static string ElevenLabsCreated => $$$"""
        {"xi-api-key":"{{{ElevenLabsNewValue}}}","key_id":"{{{ElevenLabsNewKeyId}}}"}
        """;

    /// <summary>
    /// A working key whose account has no workspace to manage. ElevenLabs documents that service accounts are for
    /// multi-seat workspaces and admins only, but not the exact refusal: this has the shape of its other errors.
    /// </summary>
    public const string ElevenLabsNotAWorkspace = """
        {"detail":{"status":"workspace_required","message":"Service accounts are only available to workspace admins on multi-seat plans."}}
        """;
}
