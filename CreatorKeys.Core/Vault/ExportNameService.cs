using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Vault;

/// <summary>Reads and changes a key's export name (the variable name programs read it under).</summary>
public sealed class ExportNameService(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivityService activity, TimeProvider time)
{
    /// <summary>The key's export name and whether it is Mock; null when the account has no such key.</summary>
    public async Task<(string Name, bool IsMock)?> GetAsync(string accountId, Guid keyId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // The four columns the answer needs, not the whole row (its ciphertext included) on every key page visit.
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId && k.Id == keyId)
            .Select(k => new { k.ExportName, k.ProviderId, k.ProviderName, k.IsMock })
            .SingleOrDefaultAsync(cancellationToken);
        return key is null ? null : (key.ExportName ?? ExportNames.DefaultFor(key.ProviderId, key.ProviderName), key.IsMock);
    }

    /// <summary>The export names of the keys in use, by environment (for the "Missing in PROD" view and diffs).</summary>
    public async Task<IReadOnlyDictionary<VaultEnvironment, IReadOnlySet<string>>> ListInUseAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId && k.Status == KeyStatus.Current).ToListAsync(cancellationToken);
        return VaultEnvironments.All.ToDictionary(e => e, e => (IReadOnlySet<string>)keys.Where(k => k.Environment == e).Select(ExportNames.Of).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>
    /// Renames the key (and every version of it) for programs. Refused, with nothing changed, when the name is not
    /// shaped like a variable name or another key in use of the environment has it already. Null on success.
    /// </summary>
    public async Task<string?> RenameAsync(string accountId, Guid keyId, string? name, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var clean = name?.Trim() ?? "";
        if (!ExportNames.IsValid(clean))
        {
            return ExportNames.ShapeMessage + " Nothing was changed.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.AccountId == accountId && k.Id == keyId, cancellationToken);
        if (key is null)
        {
            return "That key is no longer in your vault.";
        }

        var others = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.Environment == key.Environment && k.SlotId != key.SlotId && k.Status == KeyStatus.Current)
            .ToListAsync(cancellationToken);
        if (others.FirstOrDefault(k => string.Equals(ExportNames.Of(k), clean, StringComparison.Ordinal)) is { } other)
        {
            return ExportNames.TakenMessage(clean, other.Label, key.Environment);
        }

        var old = ExportNames.Of(key);
        if (string.Equals(old, clean, StringComparison.Ordinal) && key.ExportName is not null)
        {
            return null;
        }

        // Every version of the key (a pending replacement too) keeps the one name.
        var versions = await db.ApiKeys.Where(k => k.AccountId == accountId && k.SlotId == key.SlotId).ToListAsync(cancellationToken);
        foreach (var version in versions)
        {
            version.ExportName = clean;
            version.UpdatedAt = time.GetUtcNow();
        }

        activity.Stage(db, accountId, ActivityAction.KeyEdited, origin, key.Id.ToString(), $"{key.Label}: name for programs {old} → {clean}", key.Environment);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    /// <summary>The name a new key gets: the one asked for (an import's variable), else its provider's, made unique in the environment.</summary>
    internal static async Task<string> NameForNewKeyAsync(CreatorKeysDbContext db, string accountId, VaultEnvironment environment, Guid? slotId, string? wanted, string? providerId, string providerName, CancellationToken cancellationToken)
    {
        if (slotId is { } slot)
        {
            // A new version of a key keeps the name of the key it replaces.
            var current = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == accountId && k.SlotId == slot).OrderBy(k => k.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (current is not null)
            {
                return ExportNames.Of(current);
            }
        }

        var name = ExportNames.IsValid(wanted) ? wanted! : ExportNames.DefaultFor(providerId, providerName);
        var taken = (await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.Environment == environment && k.Status == KeyStatus.Current)
            .ToListAsync(cancellationToken)).Select(ExportNames.Of).ToList();
        return ExportNames.Distinct(name, taken);
    }
}
