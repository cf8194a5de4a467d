namespace CreatorKeys.Web.Accounts;

/// <summary>Claims CreatorKeys adds to the (DataProtection-encrypted) sign-in cookie.</summary>
public static class VaultClaims
{
    /// <summary>The random id of the server-memory vault session. The vault key itself never leaves the server.</summary>
    public const string SessionId = "creatorkeys:vault_session";

    /// <summary>In the short-lived two-step cookie: the id of the vault held while the creator types the code.</summary>
    public const string HeldVault = "creatorkeys:held_vault";
}
