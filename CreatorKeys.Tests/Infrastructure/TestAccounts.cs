using CreatorKeys.Core.Audit;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>Well-known test data. The key values are shaped like real ones and used nowhere else.</summary>
public static class TestAccounts
{
    public const string Email = "creator@example.com";
    public const string OtherEmail = "other.creator@example.com";
    public const string Password = "correct horse battery staple";
    public const string NewPassword = "purple monkey dishwasher lamp";

    public static RequestOrigin Origin { get; } = new("127.0.0.1", "CreatorKeys tests");

    /// <summary>Now, to the whole second: the database keeps times to a fraction of a millisecond, not to the tick.</summary>
    public static DateTimeOffset WholeSecondNow()
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }

    /// <summary>A unique value shaped like an OpenAI project key.</summary>
    public static string NewKeyValue(string prefix = "sk-proj-") =>
        prefix + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).Replace("+", "x").Replace("/", "y").TrimEnd('=') + "T3BlbkFJ" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The code an authenticator app shows at <paramref name="at"/> for this key.</summary>
    public static string AuthenticatorCode(string key, DateTimeOffset at) =>
        new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(key.Replace(" ", "", StringComparison.Ordinal))).ComputeTotp(at.UtcDateTime);
}
