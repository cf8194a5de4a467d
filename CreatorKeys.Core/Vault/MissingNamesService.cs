using CreatorKeys.Core.Data;
using CreatorKeys.Core.Workflows;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Vault;

/// <summary>One export name and the environments that have a key in use under it.</summary>
public sealed record NameAcrossEnvironments(string Name, IReadOnlySet<VaultEnvironment> In)
{
    public bool IsIn(VaultEnvironment environment) => In.Contains(environment);

    /// <summary>True when at least one environment has no key under this name.</summary>
    public bool MissingSomewhere => VaultEnvironments.All.Any(e => !In.Contains(e));
}

/// <summary>
/// The launch-breaking mistake: a workflow that runs in PROD reads a key under <see cref="Name"/>, and PROD has no
/// key in use with that name.
/// </summary>
public sealed record ProdNameGap(Guid WorkflowId, string WorkflowName, string Name)
{
    public string Message =>
        $"Workflow “{WorkflowName}” runs in PROD and reads {Name}, but PROD has no key with that name.";
}

/// <summary>Export names by environment, and the names PROD workflows read that PROD lacks (listed first).</summary>
public sealed record NamesByEnvironment(IReadOnlyList<NameAcrossEnvironments> Names, IReadOnlyList<ProdNameGap> ProdGaps, int ProdWorkflowsReadingKeys)
{
    public static NamesByEnvironment Empty { get; } = new([], [], 0);
}

/// <summary>
/// "Missing in PROD": which export names each environment has, and which names a PROD workflow reads without a PROD
/// key to read. Metadata only (never a value), in two narrow queries, because the dashboard's checklist uses it too.
/// </summary>
public sealed class MissingNamesService(IDbContextFactory<CreatorKeysDbContext> dbFactory)
{
    public async Task<NamesByEnvironment> GetAsync(string accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // One row per environment and name, not per key: a key without a name of its own has its service's default.
        var inUse = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == accountId && k.Status == KeyStatus.Current)
            .GroupBy(k => new { k.Environment, k.ExportName, k.ProviderId, k.ProviderName })
            .Select(g => g.Key)
            .ToListAsync(cancellationToken);

        // What each PROD workflow reads: the name of each key it uses, whatever that key's environment or status.
        var prodReads = await db.Workflows.AsNoTracking()
            .Where(w => w.AccountId == accountId && w.Environment == VaultEnvironment.Prod)
            .SelectMany(w => w.KeyUses, (w, u) => new { w.Id, w.Name, u.KeyId })
            .Join(db.ApiKeys.Where(k => k.AccountId == accountId), r => r.KeyId, k => k.Id, (r, k) => new { r.Id, r.Name, k.ExportName, k.ProviderId, k.ProviderName })
            .Distinct()
            .ToListAsync(cancellationToken);

        var names = new Dictionary<string, HashSet<VaultEnvironment>>(StringComparer.Ordinal);
        foreach (var row in inUse)
        {
            var name = row.ExportName ?? ExportNames.DefaultFor(row.ProviderId, row.ProviderName);
            (names.TryGetValue(name, out var set) ? set : names[name] = []).Add(row.Environment);
        }

        var gaps = new List<ProdNameGap>();
        foreach (var read in prodReads)
        {
            var name = read.ExportName ?? ExportNames.DefaultFor(read.ProviderId, read.ProviderName);
            if (!names.TryGetValue(name, out var set))
            {
                // Read by a workflow, in no environment at all: a row of its own, missing everywhere.
                names[name] = set = [];
            }

            if (!set.Contains(VaultEnvironment.Prod) && !gaps.Any(g => g.WorkflowId == read.Id && g.Name == name))
            {
                gaps.Add(new ProdNameGap(read.Id, read.Name, name));
            }
        }

        return new NamesByEnvironment(
            names.Select(n => new NameAcrossEnvironments(n.Key, n.Value)).OrderBy(n => n.Name, StringComparer.Ordinal).ToList(),
            gaps.OrderBy(g => g.WorkflowName, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Name, StringComparer.Ordinal).ToList(),
            prodReads.Select(r => r.Id).Distinct().Count());
    }
}
