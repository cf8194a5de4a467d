using CreatorKeys.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Core.Accounts;

/// <summary>
/// The person who set up this install: the first account created. Install-wide settings
/// (the mail server every account's reminders go through, the scheduler's dashboard) are
/// theirs alone; with registration open, other accounts must not be able to reroute them.
/// </summary>
public sealed class InstallAdmin(IDbContextFactory<CreatorKeysDbContext> dbFactory)
{
    public async Task<bool> IsAdminAsync(string? accountId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(accountId))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var first = await db.Users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
        return first == accountId;
    }
}
