using System.Text;
using System.Text.RegularExpressions;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Validation;

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
    bool CapSetAtProvider = false,
    KeyIssueDate IssueDate = default,
    string? ExportName = null,
    bool IsManagementKey = false)
{
    /// <summary>The provider's own id of the key (never its value), when CreatorKeys created it through the provider's API.</summary>
    public string? ProviderKeyId { get; init; }

    /// <summary>OpenAI: the project of <see cref="ProviderKeyId"/>.</summary>
    public string? ProviderProjectId { get; init; }

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
        else if (value.Length > 0 && string.Equals(KeyValueText.Clean(label), value, StringComparison.Ordinal))
        {
            errors[nameof(Label)] = KeyFields.KeyAsNameMessage;
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

        if (IsManagementKey && !Providers.Connections.ManagementKeys.Supports(provider?.Id))
        {
            errors[nameof(IsManagementKey)] = $"{(providerName.Length > 0 ? providerName : "This service")} has no management key CreatorKeys can use. Untick “management key”.";
        }
        else if (IsManagementKey && Environment is { } chosen && chosen != VaultEnvironment.Prod)
        {
            errors[nameof(IsManagementKey)] = Providers.Connections.ManagementKeys.ProdOnly;
        }

        return errors.Count > 0
            ? (null, errors)
            : (new CleanKeyInput(provider?.Id, providerName, Environment!.Value, label, value, MonthlyCapUsd, CapSetAtProvider && MonthlyCapUsd is not null, IssueDate), errors);
    }
}

/// <summary>
/// When the provider created a key: just now (the guided setup and Add-a-key ask for a new key),
/// on a known date, or unknown (imported from a file): a key of unknown age counts as due for replacement.
/// </summary>
public readonly record struct KeyIssueDate(DateTimeOffset? On, bool Unknown)
{
    public static KeyIssueDate Now => default;

    public static KeyIssueDate Of(DateTimeOffset on) => new(on, false);

    public static KeyIssueDate NotKnown => new(null, true);

    public DateTimeOffset? Resolve(DateTimeOffset now) => Unknown ? null : On ?? now;
}

public sealed record CleanKeyInput(
    string? ProviderId,
    string ProviderName,
    VaultEnvironment Environment,
    string Label,
    string Value,
    decimal? MonthlyCapUsd,
    bool CapSetAtProvider,
    KeyIssueDate IssueDate);

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
    public const string KeyAsNameMessage =
        "That looks like the key itself, not a name for it. Names are stored unencrypted: paste the key in the key field instead.";

    public static string? ValidateLabel(string label) =>
        label.Length == 0 ? "Give the key a name you will recognise, like “PROD — OpenAI — Created 2026-11-23”."
        : label.Length > ApiKey.MaxLabelLength ? $"Keep the name under {ApiKey.MaxLabelLength} characters."
        : TextRules.LineProblem(label) is { } textProblem ? textProblem
        : KeyShapes.Detect(KeyValueText.Clean(label), ProviderCatalog.Shipped.Providers) is not null ? KeyAsNameMessage
        : null;
}

/// <summary>
/// Cleans up a pasted key. None of these are ever part of a key: surrounding spaces and line
/// breaks; quotes around it (straight or the curly ones notes apps and word processors make);
/// invisible zero-width characters; and the <c>OPENAI_API_KEY=</c> in front when a whole .env
/// line was copied.
/// </summary>
public static partial class KeyValueText
{
    private static readonly Dictionary<char, char> QuotePairs = new()
    {
        ['"'] = '"',
        ['\''] = '\'',
        ['`'] = '`',
        ['\u201C'] = '\u201D',
        ['\u2018'] = '\u2019',
        ['\u00AB'] = '\u00BB',
    };

    public static string Clean(string? pasted)
    {
        var value = ZeroWidth().Replace(pasted ?? "", "").Trim();
        if (EnvAssignment().Match(value) is { Success: true } assignment)
        {
            value = assignment.Groups["value"].Value.Trim();
        }

        while (value.Length >= 2 && QuotePairs.TryGetValue(value[0], out var closing) && value[^1] == closing)
        {
            value = value[1..^1].Trim();
        }

        return value;
    }

    [GeneratedRegex("[\u200B\u200C\u200D\u2060\uFEFF]")]
    private static partial Regex ZeroWidth();

    /// <summary>An upper-case variable name with an underscore, then "=": a copied .env line.</summary>
    [GeneratedRegex("^(?:export\\s+)?[A-Z][A-Z0-9]*_[A-Z0-9_]*\\s*=\\s*(?<value>.+)$")]
    private static partial Regex EnvAssignment();
}
