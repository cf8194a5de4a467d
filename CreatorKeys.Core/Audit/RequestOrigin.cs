namespace CreatorKeys.Core.Audit;

/// <summary>Where a request came from, for the activity log.</summary>
public sealed record RequestOrigin(string? IpAddress, string? UserAgent)
{
    /// <summary>Work the app does by itself (a background job), not on a person's request.</summary>
    public static RequestOrigin System { get; } = new("system", "CreatorKeys");
}
