namespace CreatorKeys.Core.Vault;

/// <summary>Which keys a vault folder lists.</summary>
public enum KeyListStatus
{
    /// <summary>Keys in use, and new keys of a replacement under way.</summary>
    Current,

    /// <summary>Retired, replaced and compromised keys.</summary>
    Retired,

    All,
}

/// <summary>
/// One page of one environment's keys, filtered like the vault page's search box and "Show" list.
/// <paramref name="Page"/> counts from 0.
/// </summary>
public sealed record KeyListQuery(VaultEnvironment Environment, KeyListStatus Status = KeyListStatus.Current, string? Search = null, int Page = 0, int PageSize = KeyListQuery.DefaultPageSize)
{
    /// <summary>Rows per page: a screenful, so a vault of 10,000 keys never renders them all.</summary>
    public const int DefaultPageSize = 25;

    public const int MaxPageSize = 200;
}

/// <summary>Where a page of a long list stands, for the pager under it: "Showing 26–50 of 10,000".</summary>
public interface IListPage
{
    /// <summary>How many rows match in all.</summary>
    int Total { get; }

    /// <summary>The page shown (0-based).</summary>
    int Page { get; }

    int PageCount { get; }

    /// <summary>The 1-based position of the first row shown; 0 when there is none.</summary>
    int FirstRow { get; }

    int LastRow { get; }
}

/// <summary>A page of <paramref name="Shown"/> rows of a list already in memory (the reports table).</summary>
public sealed record ListPage(int Total, int Page, int PageSize, int Shown) : IListPage
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    public int FirstRow => Shown == 0 ? 0 : (Page * PageSize) + 1;

    public int LastRow => (Page * PageSize) + Shown;
}

/// <summary>A page of keys and how many match in all. <see cref="Page"/> is the page actually returned (0-based).</summary>
public sealed record KeyListPage(IReadOnlyList<KeySummary> Keys, int Total, int Page, int PageSize) : IListPage
{
    public int PageCount => Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    /// <summary>The 1-based position of the first row shown; 0 when there is none.</summary>
    public int FirstRow => Keys.Count == 0 ? 0 : (Page * PageSize) + 1;

    public int LastRow => (Page * PageSize) + Keys.Count;
}

/// <summary>How many keys each environment holds: in use (with new keys of a replacement under way) and retired.</summary>
public sealed record KeyCounts(IReadOnlyDictionary<VaultEnvironment, int> Current, IReadOnlyDictionary<VaultEnvironment, int> Retired)
{
    /// <summary>Whether a key of this status is listed under <see cref="KeyListStatus.Current"/>.</summary>
    public static bool IsListedAsCurrent(KeyStatus status) => status is KeyStatus.Current or KeyStatus.Pending;

    /// <summary>The counts the vault page's "Show" list asks for; every environment is present.</summary>
    public IReadOnlyDictionary<VaultEnvironment, int> For(KeyListStatus status) => status switch
    {
        KeyListStatus.Current => Current,
        KeyListStatus.Retired => Retired,
        _ => Current.ToDictionary(c => c.Key, c => c.Value + Retired[c.Key]),
    };
}
