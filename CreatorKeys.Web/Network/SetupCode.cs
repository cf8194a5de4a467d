using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace CreatorKeys.Web.Network;

/// <summary>
/// A one-time code that guards the first sign-up of an install other computers can reach (as
/// Jupyter's token, Portainer's first-run timeout and Vaultwarden's admin token do): it is printed in
/// the app's log at start and asked for on the sign-up page, so whoever reaches a fresh install first
/// cannot claim it. An install reachable only from this machine keeps the plain sign-up.
/// </summary>
/// <remarks>
/// It is not a vault secret and opens nothing: it lives in memory only, changes at every start, and
/// is no longer asked for once the first account exists. The sign-up form's rate limit applies to it.
/// </remarks>
public sealed class SetupCode(
    IServer server,
    PublicAddress publicAddress,
    IDbContextFactory<CreatorKeysDbContext> dbFactory,
    ILogger<SetupCode> logger) : IHostedLifecycleService
{
    // No 0/O, 1/I/L, U: easy to read out of a log and type. 16 of 30 characters: about 78 bits.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
    private readonly string _code = new(RandomNumberGenerator.GetItems<char>(Alphabet, 16));

    /// <summary>The code as printed: four groups of four.</summary>
    internal string Display => string.Join('-', _code.Chunk(4).Select(group => new string(group)));

    /// <summary>
    /// True when other computers can reach the app: it listens beyond loopback, or its public address
    /// names another host (a reverse proxy in front of a loopback-only app).
    /// </summary>
    public bool ReachableBeyondLoopback =>
        publicAddress.IsBeyondLoopback
        || PublicAddress.ListensBeyondLoopback(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>Whether sign-up must ask for the code now: reachable beyond loopback and no account yet.</summary>
    public async Task<bool> IsRequiredAsync(CancellationToken cancellationToken = default)
    {
        if (!ReachableBeyondLoopback)
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return !await db.Users.AnyAsync(cancellationToken);
    }

    /// <summary>Compares a typed code in constant time, ignoring case, spaces and dashes.</summary>
    public bool Matches(string? typed)
    {
        var normalized = new string((typed ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(normalized), Encoding.UTF8.GetBytes(_code));
    }

    /// <summary>After the server has started (its addresses are known), before the host reports started.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (await IsRequiredAsync(cancellationToken))
            {
                logger.LogWarning(
                    "This CreatorKeys can be reached from other computers and has no account yet. To create the first account, " +
                    "type this one-time setup code on the sign-up page: {SetupCode} . It only proves that you started this app " +
                    "(it is no password and opens no vault); it changes at every start until the first account exists.",
                    Display);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not check whether this install needs a setup code.");
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
