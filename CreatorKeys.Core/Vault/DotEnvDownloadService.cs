using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Data;
using CreatorKeys.Core.Text;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Vault;

/// <summary>An environment's keys as a .env file: its name, its bytes, and the names inside (never the values).</summary>
public sealed record DotEnvDownload(string FileName, byte[] Content, IReadOnlyList<string> Names);

/// <summary>
/// Vault → "Download as .env": one environment's keys in use, each under its export name, in the format
/// <c>creatorkeys export --format dotenv</c> writes (<see cref="DotEnvFormat"/>). The values are the real ones even
/// where a folder or key is set to Mock: Mock changes what access tokens hand out, and this is the creator's own
/// vault. Needs a fresh "confirm it's you" for every environment, and is recorded (names and count, never values)
/// before the file is handed over.
/// </summary>
public sealed class DotEnvDownloadService(IDbContextFactory<CreatorKeysDbContext> dbFactory, ActivityService activity, TimeProvider time)
{
    /// <summary>The file's name for an environment: <c>creatorkeys-prod.env</c>.</summary>
    public static string FileNameFor(VaultEnvironment environment) => $"creatorkeys-{environment.Code().ToLowerInvariant()}.env";

    /// <summary>The file, or null when the environment has no key in use (never an empty file).</summary>
    /// <exception cref="ConfirmationRequiredException">The creator has not confirmed it's them in the last 10 minutes.</exception>
    /// <exception cref="VaultLockedException">The vault locked meanwhile.</exception>
    /// <exception cref="VaultCryptoException">A stored value was altered; nothing is handed out or recorded.</exception>
    public async Task<DotEnvDownload?> CreateAsync(VaultSession session, VaultEnvironment environment, RequestOrigin origin, CancellationToken cancellationToken = default)
    {
        session.RequireConfirmation();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking()
            .Where(k => k.AccountId == session.AccountId && k.Environment == environment && k.Status == KeyStatus.Current)
            .Select(k => new { k.Id, k.Environment, k.Ciphertext, k.ExportName, k.ProviderId, k.ProviderName })
            .ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return null;
        }

        // Every value decrypted before anything is recorded or handed out: a damaged one stops the whole file.
        var values = keys
            .Select(k => new KeyValuePair<string, string>(k.ExportName ?? ExportNames.DefaultFor(k.ProviderId, k.ProviderName), session.Vault.DecryptValue(k.Id, k.Environment, k.Ciphertext)))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .ToList();
        var names = values.Select(v => v.Key).ToList();

        activity.Stage(db, session.AccountId, ActivityAction.EnvironmentDownloaded, origin, targetName: $"{Wording.Count(names.Count, "key")}: {string.Join(", ", names)}", environment: environment);
        await db.SaveChangesAsync(cancellationToken);

        var text = $"# CreatorKeys: {environment.Code()} keys, downloaded {Wording.MomentUtc(time.GetUtcNow())}.\n" +
                   "# These are the real values: keep this file private, out of git, and delete it when you are done.\n" +
                   DotEnvFormat.Write(values);
        return new DotEnvDownload(FileNameFor(environment), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text), names);
    }
}
