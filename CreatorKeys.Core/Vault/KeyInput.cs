using System.Text;

namespace CreatorKeys.Core.Vault;

/// <summary>What the creator typed to store a key. <see cref="Validate"/> cleans it up and checks it.</summary>
public sealed record NewKeyInput(string? ProviderName, VaultEnvironment? Environment, string? Label, string? Value)
{
    /// <summary>Trims what was typed and returns the field errors, keyed by field name (empty when valid).</summary>
    public (CleanKeyInput? Clean, IReadOnlyDictionary<string, string> Errors) Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var provider = ProviderName?.Trim() ?? "";
        var label = Label?.Trim() ?? "";
        var value = KeyValueText.Clean(Value);

        if (provider.Length == 0)
        {
            errors[nameof(ProviderName)] = "Type the name of the service this key is for, like OpenAI.";
        }
        else if (provider.Length > ApiKey.MaxProviderNameLength)
        {
            errors[nameof(ProviderName)] = $"Keep the service name under {ApiKey.MaxProviderNameLength} characters.";
        }

        if (Environment is null || !Enum.IsDefined(Environment.Value))
        {
            errors[nameof(Environment)] = "Choose DEV, STAGING or PROD.";
        }

        if (label.Length == 0)
        {
            errors[nameof(Label)] = "Give the key a name you will recognise, like “PROD — OpenAI — Created 2026-11-23”.";
        }
        else if (label.Length > ApiKey.MaxLabelLength)
        {
            errors[nameof(Label)] = $"Keep the name under {ApiKey.MaxLabelLength} characters.";
        }

        if (value.Length == 0)
        {
            errors[nameof(Value)] = "Paste the key itself. It is encrypted before it is stored.";
        }
        else if (Encoding.UTF8.GetByteCount(value) > ApiKey.MaxValueBytes)
        {
            errors[nameof(Value)] = "That is longer than any API key (over 4 KB). Check that you copied only the key.";
        }

        return errors.Count > 0
            ? (null, errors)
            : (new CleanKeyInput(provider, Environment!.Value, label, value), errors);
    }
}

public sealed record CleanKeyInput(string ProviderName, VaultEnvironment Environment, string Label, string Value);

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
