using System.Text;
using CreatorKeys.Core.Providers;

namespace CreatorKeys.Core.Vault;

/// <summary>
/// What the creator typed to store a key. <see cref="ProviderId"/> names a known provider;
/// otherwise <see cref="ProviderName"/> is matched against known names, or kept as typed.
/// </summary>
public sealed record NewKeyInput(
    string? ProviderName,
    VaultEnvironment? Environment,
    string? Label,
    string? Value,
    string? ProviderId = null,
    decimal? MonthlyCapUsd = null,
    bool CapSetAtProvider = false)
{
    /// <summary>Trims what was typed and returns the field errors, keyed by field name (empty when valid).</summary>
    public (CleanKeyInput? Clean, IReadOnlyDictionary<string, string> Errors) Validate(ProviderInfo? provider, decimal maximumCap)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var providerName = provider?.Name ?? ProviderName?.Trim() ?? "";
        var label = Label?.Trim() ?? "";
        var value = KeyValueText.Clean(Value);

        if (providerName.Length == 0)
        {
            errors[nameof(ProviderName)] = "Type the name of the service this key is for, like OpenAI.";
        }
        else if (providerName.Length > ApiKey.MaxProviderNameLength)
        {
            errors[nameof(ProviderName)] = $"Keep the service name under {ApiKey.MaxProviderNameLength} characters.";
        }

        if (Environment is null || !Enum.IsDefined(Environment.Value))
        {
            errors[nameof(Environment)] = "Choose DEV, STAGING or PROD.";
        }

        if (KeyFields.ValidateLabel(label) is { } labelError)
        {
            errors[nameof(Label)] = labelError;
        }

        if (value.Length == 0)
        {
            errors[nameof(Value)] = "Paste the key itself. It is encrypted before it is stored.";
        }
        else if (Encoding.UTF8.GetByteCount(value) > ApiKey.MaxValueBytes)
        {
            errors[nameof(Value)] = "That is longer than any API key (over 4 KB). Check that you copied only the key.";
        }

        if (CapRules.Validate(MonthlyCapUsd, maximumCap) is { } capError)
        {
            errors[nameof(MonthlyCapUsd)] = capError;
        }

        return errors.Count > 0
            ? (null, errors)
            : (new CleanKeyInput(provider?.Id, providerName, Environment!.Value, label, value, MonthlyCapUsd, CapSetAtProvider && MonthlyCapUsd is not null), errors);
    }
}

public sealed record CleanKeyInput(
    string? ProviderId,
    string ProviderName,
    VaultEnvironment Environment,
    string Label,
    string Value,
    decimal? MonthlyCapUsd,
    bool CapSetAtProvider);

/// <summary>A change to a stored key's name or cap; the value and environment never change.</summary>
public sealed record EditKeyInput(string? Label, decimal? MonthlyCapUsd, bool CapSetAtProvider)
{
    public IReadOnlyDictionary<string, string> Validate(decimal maximumCap)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (KeyFields.ValidateLabel(Label?.Trim() ?? "") is { } labelError)
        {
            errors[nameof(Label)] = labelError;
        }

        if (CapRules.Validate(MonthlyCapUsd, maximumCap) is { } capError)
        {
            errors[nameof(MonthlyCapUsd)] = capError;
        }

        return errors;
    }
}

internal static class KeyFields
{
    public static string? ValidateLabel(string label) =>
        label.Length == 0 ? "Give the key a name you will recognise, like “PROD — OpenAI — Created 2026-11-23”."
        : label.Length > ApiKey.MaxLabelLength ? $"Keep the name under {ApiKey.MaxLabelLength} characters."
        : null;
}

/// <summary>Cleans up a pasted key: surrounding spaces, line breaks and quotes are not part of it.</summary>
public static class KeyValueText
{
    public static string Clean(string? pasted)
    {
        var value = pasted?.Trim() ?? "";
        while (value.Length >= 2 && IsQuote(value[0]) && value[^1] == value[0])
        {
            value = value[1..^1].Trim();
        }

        return value;
    }

    private static bool IsQuote(char c) => c is '"' or '\'' or '`';
}
