using System.Text;
using CreatorKeys.Core.Audit;
using CreatorKeys.Core.Providers;
using CreatorKeys.Core.Vault;

namespace CreatorKeys.Core.Import;

/// <summary>
/// Imports keys from a .env file in two steps: <see cref="PrepareAsync"/> reads the file and
/// guesses (storing nothing), then <see cref="ImportAsync"/> stores the lines the creator
/// confirmed. The file's content is never logged or written anywhere.
/// </summary>
public sealed class ImportService(VaultService vault, ProviderService providers, ActivityService activity, TimeProvider time)
{
    /// <summary>The largest .env file accepted: far more than any real one, small enough to read at once.</summary>
    public const int MaxFileBytes = 64 * 1024;

    public static string TooLargeMessage => $"That file is larger than {MaxFileBytes / 1024} KB, which is far more than a .env file holds. Check that you chose the right file.";

    /// <summary>Reads a .env file's text and prepares the preview; nothing is stored.</summary>
    public async Task<ImportPreview> PrepareAsync(VaultSession session, string text, VaultEnvironment defaultEnvironment, CancellationToken cancellationToken = default)
    {
        if (Encoding.UTF8.GetByteCount(text) > MaxFileBytes)
        {
            return ImportPreview.Refused(TooLargeMessage);
        }

        var document = DotEnvParser.Parse(text);
        var known = await providers.ListAsync(session.AccountId, cancellationToken);
        var candidates = ImportPlanner.Plan(document, known, defaultEnvironment, KeyLabels.Today(time));
        foreach (var candidate in candidates.Where(c => c.Value.Length > 0))
        {
            if (await vault.FindSameValueAsync(session, candidate.Value, cancellationToken) is { } existing)
            {
                candidate.Include = false;
                candidate.Note = $"Already in your vault as “{existing.Label}” ({existing.Environment.Code()}" +
                    $"{(existing.IsCurrent ? "" : $", {existing.Status.ToString().ToLowerInvariant()}")}).";
            }
        }

        return new ImportPreview(candidates, document.Problems, null);
    }

    /// <summary>Reads a .env file from a stream, refusing files over the size limit before reading them whole.</summary>
    public async Task<ImportPreview> PrepareAsync(VaultSession session, Stream file, VaultEnvironment defaultEnvironment, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[MaxFileBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await file.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        if (read > MaxFileBytes)
        {
            return ImportPreview.Refused(TooLargeMessage);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, read);
        }
        catch (DecoderFallbackException)
        {
            return ImportPreview.Refused("That file is not text (UTF-8). A .env file is plain text: open it in a text editor to check.");
        }
        finally
        {
            Array.Clear(buffer);
        }

        return await PrepareAsync(session, text, defaultEnvironment, cancellationToken);
    }

    /// <summary>
    /// Stores every included candidate; the others, and any refused one, are reported with the
    /// reason. <paramref name="issuedOn"/> is when the keys were created at their providers, if
    /// the creator knows; otherwise their age is unknown and they count as due for replacement.
    /// If the vault locks part-way, what was stored so far is kept and reported.
    /// </summary>
    public async Task<ImportResult> ImportAsync(VaultSession session, IReadOnlyList<ImportCandidate> candidates, RequestOrigin origin, DateTimeOffset? issuedOn = null, CancellationToken cancellationToken = default)
    {
        var stored = new List<KeySummary>();
        var refused = new List<(ImportCandidate Candidate, string Reason)>();
        var issueDate = issuedOn is { } on ? KeyIssueDate.Of(on) : KeyIssueDate.NotKnown;
        var locked = false;
        foreach (var candidate in candidates.Where(c => c.Include))
        {
            // Two keys of one service and environment in one file (or one already stored today) would get the same
            // suggested name; the vault refuses a second identical name, so a suggested one gets a counter.
            var label = candidate.Label;
            if (KeyLabels.Same(label, KeyLabels.SuggestImported(candidate.Environment, candidate.ProviderName, KeyLabels.Today(time))))
            {
                label = KeyLabels.Distinct(label, await vault.ListLabelsAsync(session.AccountId, candidate.Environment, candidate.Provider?.Id, candidate.ProviderName, cancellationToken));
            }

            var input = new NewKeyInput(candidate.ProviderName, candidate.Environment, label, candidate.Value, candidate.Provider?.Id, IssueDate: issueDate,
                ExportName: ExportNames.FromVariableName(candidate.VariableName));
            KeyChangeResult result;
            try
            {
                // The preview already showed any "does not look like" note next to the line.
                result = await vault.AddKeyAsync(session, input, origin, acceptShapeWarning: true, cancellationToken);
            }
            catch (VaultLockedException)
            {
                locked = true;
                break;
            }

            if (result.Succeeded)
            {
                stored.Add(result.Key!);
            }
            else
            {
                refused.Add((candidate, string.Join(" ", result.Errors.Values)));
            }
        }

        if (stored.Count > 0)
        {
            await activity.RecordAsync(session.AccountId, ActivityAction.KeysImported, origin, targetName: $"{CreatorKeys.Core.Text.Wording.Count(stored.Count, "key")} from a .env file", cancellationToken: cancellationToken);
        }

        return new ImportResult(stored, refused, locked);
    }
}

public sealed record ImportPreview(IReadOnlyList<ImportCandidate> Candidates, IReadOnlyList<DotEnvProblem> Problems, string? Error)
{
    public static ImportPreview Refused(string error) => new([], [], error);
}

/// <summary>What an import stored and refused; <see cref="StoppedByLock"/> when the vault locked part-way.</summary>
public sealed record ImportResult(IReadOnlyList<KeySummary> Stored, IReadOnlyList<(ImportCandidate Candidate, string Reason)> Refused, bool StoppedByLock = false);
