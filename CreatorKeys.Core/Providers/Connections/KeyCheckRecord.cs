namespace CreatorKeys.Core.Providers.Connections;

/// <summary>
/// The last thing a provider said about one stored key (never the value): shown in the vault and on the key's page
/// as "last checked: works, 3 days ago". Only verdicts about the key are kept; "did not answer" is not one.
/// </summary>
public sealed class KeyCheckRecord
{
    public const int MaxMessageLength = 400;

    public Guid KeyId { get; set; }

    public string AccountId { get; set; } = "";

    public DateTimeOffset CheckedAt { get; set; }

    public KeyCheckOutcome Outcome { get; set; }

    public string Message { get; set; } = "";

    public int? HttpStatus { get; set; }
}
