using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Providers;

/// <summary>The providers an account can choose from: the shipped catalog plus the ones the creator added.</summary>
public sealed class ProviderService(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivityService activity, TimeProvider time)
{
    public const string NameField = "Name";
    public const string KeysPageField = "KeysPageUrl";
    public const string BillingPageField = "BillingPageUrl";

    public ProviderCatalog Catalog => ProviderCatalog.Shipped;

    /// <summary>Catalog providers, then the account's own, each group by name.</summary>
    public async Task<IReadOnlyList<ProviderInfo>> ListAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await ListAsync(db, accountId, cancellationToken);
    }

    internal async Task<IReadOnlyList<ProviderInfo>> ListAsync(CreatorKeysDbContext db, string accountId, CancellationToken cancellationToken)
    {
        var custom = await db.CustomProviders.AsNoTracking().Where(p => p.AccountId == accountId).ToListAsync(cancellationToken);
        return Catalog.Providers.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .Concat(custom.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).Select(p => p.ToInfo()))
            .ToList();
    }

    /// <summary>The provider with this id, or else the one with this name (any case), or null.</summary>
    public static ProviderInfo? Resolve(IEnumerable<ProviderInfo> providers, string? id, string? name)
    {
        var list = providers as IReadOnlyCollection<ProviderInfo> ?? providers.ToList();
        return (id is null ? null : list.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
            ?? (string.IsNullOrWhiteSpace(name) ? null : list.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Adds a service that is not in the catalog. Bad input changes nothing.</summary>
    public async Task<(ProviderInfo? Provider, IReadOnlyDictionary<string, string> Errors)> AddCustomAsync(
        string accountId, string? name, string? keysPageUrl, string? billingPageUrl, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanName = name?.Trim() ?? "";
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await ListAsync(db, accountId, cancellationToken);

        if (cleanName.Length == 0)
        {
            errors[NameField] = "Type the service's name.";
        }
        else if (cleanName.Length > CustomProvider.MaxNameLength)
        {
            errors[NameField] = $"Keep the name under {CustomProvider.MaxNameLength} characters.";
        }
        else if (TextRules.LineProblem(cleanName) is { } nameProblem)
        {
            errors[NameField] = nameProblem;
        }
        else if (Resolve(existing, null, cleanName) is { } known)
        {
            errors[NameField] = known.IsCustom
                ? $"You already added {known.Name}."
                : $"{known.Name} is already in the list: pick it there instead.";
        }

        var keysUrl = CleanUrl(keysPageUrl, KeysPageField, errors);
        var billingUrl = CleanUrl(billingPageUrl, BillingPageField, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var provider = new CustomProvider
        {
            Id = $"custom-{Guid.NewGuid():N}"[..23],
            AccountId = accountId,
            Name = cleanName,
            KeysPageUrl = keysUrl,
            BillingPageUrl = billingUrl,
            CreatedAt = time.GetUtcNow(),
        };
        db.CustomProviders.Add(provider);
        activity.Stage(db, accountId, ActivityAction.ProviderAdded, origin, provider.Id, provider.Name);
        await db.SaveChangesAsync(cancellationToken);
        return (provider.ToInfo(), errors);
    }

    private static string? CleanUrl(string? url, string field, Dictionary<string, string> errors)
    {
        var trimmed = url?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > CustomProvider.MaxUrlLength
            || !Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || uri.Scheme != Uri.UriSchemeHttps)
        {
            errors[field] = "Paste the full address, starting with https://";
            return null;
        }

        return uri.ToString();
    }
}
