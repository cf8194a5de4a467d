using System.Globalization;
using System.Text.RegularExpressions;

namespace CreatorKeys.Core.Audit;

/// <summary>
/// The head of an account's activity log, kept outside the log table: how many entries it had and
/// a keyed seal over the newest one. Removing the newest entries from the log table leaves this
/// row pointing past the end; forging it needs the server's seal key.
/// </summary>
public sealed class ActivityCheckpoint
{
    public string AccountId { get; set; } = "";

    /// <summary>The number of the newest entry (the count of entries).</summary>
    public long Sequence { get; set; }

    /// <summary>HMAC-SHA256 (hex) under the seal key over the account, <see cref="Sequence"/> and that entry's seal.</summary>
    public string Seal { get; set; } = "";

    public DateTimeOffset At { get; set; }

    /// <summary>The short code a creator can keep: <c>42-7F3A-9C1B</c>.</summary>
    public ActivityCheckpointCode Code => new(Sequence, Seal[..8].ToUpperInvariant());
}

/// <summary>
/// A checkpoint as the creator keeps it: the entry count and the first 32 bits of the checkpoint's
/// seal, <c>42-7F3A-9C1B</c>. Without the server's key no one can make a log that matches a kept
/// code except by a 1 in 4 billion chance.
/// </summary>
public sealed partial record ActivityCheckpointCode(long Sequence, string Tag)
{
    public override string ToString() => $"{Sequence.ToString(CultureInfo.InvariantCulture)}-{Tag[..4]}-{Tag[4..]}";

    /// <summary>Reads a code as typed (any case, spaces ignored); false when it cannot be one.</summary>
    public static bool TryParse(string? text, out ActivityCheckpointCode? code)
    {
        code = null;
        if (text is null || text.Length > 40)
        {
            return false;
        }

        var match = Shape().Match(string.Concat(text.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant());
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1)
        {
            return false;
        }

        code = new ActivityCheckpointCode(sequence, match.Groups[2].Value + match.Groups[3].Value);
        return true;
    }

    [GeneratedRegex("^([0-9]{1,12})-([0-9A-F]{4})-?([0-9A-F]{4})$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
