using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// The result of an account operation: on success the unlocked vault (and a new recovery
/// code when one was issued); on failure plain-language messages keyed by form field
/// (<see cref="FormError"/> for the form as a whole).
/// </summary>
public sealed class AccountOutcome
{
    public const string FormError = "";

    private AccountOutcome(Account? account, UnlockedVault? vault, string? recoveryCode, IReadOnlyDictionary<string, string> errors, bool lockedOut)
    {
        Account = account;
        Vault = vault;
        NewRecoveryCode = recoveryCode;
        Errors = errors;
        IsLockedOut = lockedOut;
    }

    public Account? Account { get; }

    public UnlockedVault? Vault { get; }

    public string? NewRecoveryCode { get; }

    /// <summary>After replacing the vault key: how many access tokens it revoked (they held keys derived from the old one).</summary>
    public int RevokedAccessTokens { get; private init; }

    public IReadOnlyDictionary<string, string> Errors { get; }

    public bool IsLockedOut { get; }

    public bool Succeeded => Errors.Count == 0 && !IsLockedOut;

    public static AccountOutcome Success(Account account, UnlockedVault? vault = null, string? recoveryCode = null, int revokedAccessTokens = 0) =>
        new(account, vault, recoveryCode, new Dictionary<string, string>(), false) { RevokedAccessTokens = revokedAccessTokens };

    public static AccountOutcome Failure(string field, string message) =>
        new(null, null, null, new Dictionary<string, string> { [field] = message }, false);

    public static AccountOutcome Failure(IReadOnlyDictionary<string, string> errors) =>
        new(null, null, null, errors, false);

    public static AccountOutcome LockedOut(string message) =>
        new(null, null, null, new Dictionary<string, string> { [FormError] = message }, true);
}
