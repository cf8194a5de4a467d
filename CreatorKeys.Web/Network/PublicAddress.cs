using System.Net;
using CreatorKeys.Core.Email;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web.Network;

/// <summary>
/// The address creators open the app at (<c>CreatorKeys:Email:BaseAddress</c>): whether it is
/// HTTPS, the host names the app answers to, and whether the install is reachable beyond this machine.
/// </summary>
public sealed class PublicAddress(IOptions<EmailOptions> email)
{
    /// <summary>Names of this machine, always answered to (the health probe, a browser on the same machine).</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    public Uri Address => new(email.Value.BaseAddress);

    public bool IsHttps => Address.Scheme == Uri.UriSchemeHttps;

    /// <summary>The host names the app answers to when <c>AllowedHosts</c> is not set.</summary>
    public IReadOnlyList<string> AllowedHosts() =>
        LoopbackHosts.Contains(Address.Host, StringComparer.OrdinalIgnoreCase) ? LoopbackHosts : [Address.Host, .. LoopbackHosts];

    /// <summary>True when the public address names something other than this machine.</summary>
    public bool IsBeyondLoopback => !IsLoopbackHost(Address.Host);

    /// <summary>True when any of the addresses Kestrel listens on can be reached from another computer.</summary>
    public static bool ListensBeyondLoopback(IEnumerable<string> listeningAddresses) =>
        listeningAddresses.Any(address => !IsLoopbackHost(HostOf(address)));

    /// <summary>The host of a listening address such as <c>http://+:8080</c> (a wildcard becomes 0.0.0.0).</summary>
    private static string HostOf(string address)
    {
        var normalized = address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri.Host : "0.0.0.0";
    }

    private static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "+", "*", "0.0.0.0", "[::]", a network address or another host name all reach beyond this machine.
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
