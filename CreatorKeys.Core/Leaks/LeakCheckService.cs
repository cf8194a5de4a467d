using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Leaks;

/// <summary>
/// Looks through pasted text for the vault's own keys (by keyed fingerprint: the values are never
/// decrypted) and for other key-shaped strings. The text is never stored or logged; the activity
/// log only notes that a check ran and how many of the creator's keys it found.
/// </summary>
public sealed class LeakCheckService(IDbContextFactory<CreatorKeysDbContext> dbFactory, ProviderService providers, ActivityService activity)
{
    public const int MaxTextBytes = 256 * 1024;

    public async Task<LeakReport> CheckAsync(VaultSession session, string text, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxTextBytes)
        {
            return new LeakReport([], [], $"That is more than {MaxTextBytes / 1024} KB of text. Check it in parts.");
        }

        var candidates = LeakScanner.Candidates(text);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.AccountId == session.AccountId).ToListAsync(cancellationToken);
        var byFingerprint = keys.ToDictionary(k => Convert.ToHexString(k.Fingerprint), k => k);
        var known = await providers.ListAsync(session.AccountId, cancellationToken);

        var yours = new Dictionary<Guid, LeakedKey>();
        var ourValues = new HashSet<string>(StringComparer.Ordinal);
        var unknown = new Dictionary<string, UnknownKey>(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            var fingerprint = Convert.ToHexString(session.Vault.Fingerprint(candidate.Text));
            if (byFingerprint.TryGetValue(fingerprint, out var key))
            {
                yours.TryAdd(key.Id, new LeakedKey(VaultService.ToSummary(key), candidate.Line));
                ourValues.Add(candidate.Text);
                continue;
            }

            var (looksLikeKey, provider) = LeakScanner.Classify(candidate.Text, known);
            if (looksLikeKey)
            {
                unknown.TryAdd(candidate.Text, new UnknownKey(KeyHint.For(candidate.Text), provider?.Name, candidate.Line));
            }
        }

        // A key of ours is also a key-shaped string (and so are pieces of it): report it once, as ours.
        var strangers = unknown.Where(u => !ourValues.Any(v => v.Contains(u.Key, StringComparison.Ordinal) || u.Key.Contains(v, StringComparison.Ordinal)))
            .Select(u => u.Value).OrderBy(u => u.Line).ToList();

        await activity.RecordAsync(session.AccountId, ActivityAction.LeakCheckRun, origin,
            targetName: $"Found {yours.Count} of your keys and {strangers.Count} other key-shaped strings", cancellationToken: cancellationToken);
        return new LeakReport(yours.Values.OrderBy(k => k.Line).ToList(), strangers, null);
    }
}

public sealed record LeakedKey(KeySummary Key, int Line);

public sealed record UnknownKey(string Hint, string? LooksLike, int Line);

public sealed record LeakReport(IReadOnlyList<LeakedKey> Yours, IReadOnlyList<UnknownKey> Unknown, string? Error);
