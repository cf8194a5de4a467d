using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Rotation;

/// <summary>How old a key may get before it should be replaced. Section <c>CreatorKeys:Rotation</c>.</summary>
public sealed class RotationOptions
{
    public const string Section = "CreatorKeys:Rotation";

    /// <summary>A PROD key is due for rotation after this many days (60–90 is the usual advice).</summary>
    [Range(1, 365)]
    public int ProdDays { get; set; } = 90;

    /// <summary>A DEV or STAGING key is due after at most this many days, even without a finished test cycle.</summary>
    [Range(1, 730)]
    public int TestMaxAgeDays { get; set; } = 180;

    public int DaysFor(Vault.VaultEnvironment environment) =>
        environment == Vault.VaultEnvironment.Prod ? ProdDays : TestMaxAgeDays;
}
