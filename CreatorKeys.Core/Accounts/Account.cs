using Microsoft.AspNetCore.Identity;

namespace CreatorKeys.Core.Accounts;

/// <summary>A creator's account. Each account owns exactly one vault.</summary>
public sealed class Account : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>What the creator can spend a month across all PROD keys, in US dollars; used to check PROD caps.</summary>
    public decimal? MonthlyBudgetUsd { get; set; }

    /// <summary>The creator asked for the inventory report (PDF) by email once a month. Off by default.</summary>
    public bool MonthlyReportEmail { get; set; }

    /// <summary>The vault key, wrapped by the password and by the recovery code. Never the key itself.</summary>
    public VaultKeyWrap Vault { get; set; } = new();
}
