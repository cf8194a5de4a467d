using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Leaks;

/// <summary>
/// Keeps key values out of the text CreatorKeys stores in plain (workflow names, addresses,
/// notes and variable names, key names, rotation notes, custom services): a field that holds
/// one of the account's stored key values (found by keyed fingerprint, the way the leak check
/// does, without decrypting anything) or a string shaped like a catalog provider's key is
/// refused with <see cref="Message"/>, and nothing is saved.
/// </summary>
/// <remarks>
/// The fingerprint key comes from the account's unlocked vault; every page that edits these
/// fields runs with it open. With no session open (a background job) only the shapes are checked.
/// </remarks>
public sealed class KeyInTextGuard(IDbContextFactory<CreatorKeysDbContext> dbFactory, ProviderService providers, VaultSessionStore sessions)
{
    public const string Message = "This looks like an API key. Keys belong in the vault, not in notes.";

    /// <summary>The fields (name → text) that hold a key, each with <see cref="Message"/>; empty when none does.</summary>
    public async Task<IReadOnlyDictionary<string, string>> CheckAsync(string accountId, IEnumerable<KeyValuePair<string, string?>> fields, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var candidates = fields
            .Where(f => !string.IsNullOrWhiteSpace(f.Value))
            .Select(f => (Field: f.Key, Texts: LeakScanner.Candidates(f.Value!).Select(c => c.Text).ToList()))
            .Where(f => f.Texts.Count > 0)
            .ToList();
        if (candidates.Count == 0)
        {
            return errors;
        }

        var known = await providers.ListAsync(accountId, cancellationToken);
        HashSet<string>? stored = null;
        var vault = sessions.FindVaultOf(accountId);
        if (vault is not null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var fingerprints = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId).Select(k => k.Fingerprint).ToListAsync(cancellationToken);
            stored = fingerprints.Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        }

        foreach (var (field, texts) in candidates)
        {
            if (texts.Any(t => KeyShapes.LooksLikeAKey(t, known) || (stored is not null && IsStored(vault!, stored, t))))
            {
                errors[field] = Message;
            }
        }

        return errors;
    }

    private static bool IsStored(UnlockedVault vault, HashSet<string> stored, string text)
    {
        try
        {
            return stored.Contains(Convert.ToHexString(vault.Fingerprint(text)));
        }
        catch (VaultLockedException)
        {
            // Locked in the meantime: the shapes were still checked.
            return false;
        }
    }
}
