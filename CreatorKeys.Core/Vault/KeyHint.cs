namespace CreatorKeys.Core.Vault;

/// <summary>
/// The short, non-secret way a key is shown on screen, as providers show them:
/// the recognisable prefix and the last four characters, e.g. <c>sk-…a1B2</c>.
/// </summary>
public static class KeyHint
{
    /// <summary>Below this length even four characters give away too much, so only the prefix is kept.</summary>
    public const int MinimumLengthForTail = 16;

    private const int TailLength = 4;
    private const int MaxPrefixLength = 6;

    public static string For(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var prefix = Prefix(value);
        var tail = value.Length >= MinimumLengthForTail ? value[^TailLength..] : "";
        return $"{prefix}…{tail}";
    }

    /// <summary>
    /// The last characters of the key as the provider shows them (<c>a1B2</c> of <c>sk-…a1B2</c>): what tells an old key
    /// from its replacement on the provider's page. Null when the hint has no tail (a short key).
    /// </summary>
    public static string? Ending(string hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        var tail = hint[(hint.LastIndexOf('…') + 1)..];
        return tail.Length == 0 ? null : tail;
    }

    /// <summary>How to point at this key on the provider's page: "the one ending z59H" (or "it", for a key with no tail).</summary>
    public static string OneEnding(string hint) => Ending(hint) is { } ending ? $"the one ending {ending}" : "it";

    /// <summary>
    /// The leading run up to and including the first '-' or '_' (like <c>sk-</c>, <c>sk_</c>,
    /// <c>r8_</c>), when it is short and leaves most of the value; otherwise nothing.
    /// </summary>
    private static string Prefix(string value)
    {
        var separator = value.IndexOfAny(['-', '_']);
        if (separator <= 0 || separator + 1 > MaxPrefixLength || value.Length < MinimumLengthForTail)
        {
            return "";
        }

        return value[..(separator + 1)];
    }
}
