namespace CreatorKeys.Core.Providers;

/// <summary>
/// Recognises which provider a pasted value belongs to from its shape, and says when a value
/// does not look like the chosen provider's keys. Shapes can overlap (many services use plain
/// hex or UUIDs), so a guess is only made when one provider is clearly the best fit.
/// </summary>
public static class KeyShapes
{
    /// <summary>
    /// The one provider whose key shape fits the value best: among providers with a fixed
    /// prefix whose pattern matches, the one with the longest prefix; null when none match or
    /// several fit equally well. Prefix-less shapes (plain hex, UUIDs) are too common to name a
    /// provider on their own.
    /// </summary>
    public static ProviderInfo? Detect(string value, IEnumerable<ProviderInfo> providers)
    {
        var matches = providers.Where(p => p.KeyPrefix is not null && value.StartsWith(p.KeyPrefix, StringComparison.Ordinal) && p.MatchesShape(value) == true)
            .GroupBy(p => p.KeyPrefix!.Length)
            .OrderByDescending(g => g.Key)
            .FirstOrDefault();
        return matches is not null && matches.Count() == 1 ? matches.Single() : null;
    }

    /// <summary>
    /// Whether the value has the prefix and shape of any provider's keys (several may fit:
    /// <c>sk-</c> is OpenAI's, DeepSeek's and Stability's). Prefix-less shapes are left out, as in <see cref="Detect"/>.
    /// </summary>
    public static bool LooksLikeAKey(string value, IEnumerable<ProviderInfo> providers) =>
        providers.Any(p => p.KeyPrefix is not null && value.StartsWith(p.KeyPrefix, StringComparison.Ordinal) && p.MatchesShape(value) == true);

    /// <summary>
    /// A plain warning when the value does not look like a key of <paramref name="chosen"/>, or null.
    /// Never contains the value itself.
    /// </summary>
    public static string? MismatchWarning(string value, ProviderInfo? chosen, IEnumerable<ProviderInfo> providers)
    {
        if (chosen is null)
        {
            return null;
        }

        // A distinctive prefix of another provider wins over a loose match of the chosen one
        // (OpenAI's pattern also fits sk-ant-… keys), and also warns for providers with no known shape.
        var detected = Detect(value, providers);
        if (detected is not null && detected.Id != chosen.Id)
        {
            return $"This looks like a key from {detected.Name}, not from {chosen.Name}. Check that you pasted it in the right place.";
        }

        if (chosen.MatchesShape(value) != false)
        {
            return null;
        }

        var shape = chosen.KeyPrefix is null ? "" : $" (they start with “{chosen.KeyPrefix}”)";
        return $"This does not look like a key from {chosen.Name}{shape}. Check that you copied the whole key and nothing else.";
    }
}
