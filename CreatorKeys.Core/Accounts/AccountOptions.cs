using System.ComponentModel.DataAnnotations;

namespace CreatorKeys.Core.Accounts;

/// <summary>Who may sign up, and how sign-in protects itself. Section <c>CreatorKeys:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string Section = "CreatorKeys:Accounts";

    /// <summary><c>FirstAccountOnly</c> (default: the install belongs to one creator) or <c>Open</c>.</summary>
    public RegistrationPolicy Registration { get; set; } = RegistrationPolicy.FirstAccountOnly;

    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 12;

    /// <summary>Wrong passwords (or recovery codes) in a row before sign-in pauses.</summary>
    [Range(1, 20)]
    public int MaxFailedSignIns { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Every account must use two-step sign-in (an authenticator app) before it can open its vault.</summary>
    public bool RequireTwoFactor { get; set; }
}

public enum RegistrationPolicy
{
    /// <summary>Only the first account may sign up; afterwards sign-up is closed.</summary>
    FirstAccountOnly,

    /// <summary>Anyone who can reach the app may create an account with its own vault.</summary>
    Open,
}
