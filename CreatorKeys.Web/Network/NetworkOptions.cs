using System.Net;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web.Network;

/// <summary>Who the app believes about the network. Section <c>CreatorKeys:Network</c>.</summary>
public sealed class NetworkOptions
{
    public const string Section = "CreatorKeys:Network";

    /// <summary>
    /// Addresses (<c>172.17.0.1</c>) or networks (<c>172.16.0.0/12</c>) of reverse proxies whose
    /// <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> headers are believed. Empty: loopback only
    /// (a proxy on the same machine). When set, it is the whole list: add <c>127.0.0.1</c> to keep loopback.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The trusted networks: the setting's entries, or loopback when it is empty.</summary>
    public IReadOnlyList<IPNetwork> TrustedNetworks() =>
        TrustedProxies.Count == 0
            ? [new IPNetwork(IPAddress.Loopback, 8), new IPNetwork(IPAddress.IPv6Loopback, 128)]
            : TrustedProxies.Select(entry => TryParse(entry) ?? throw new FormatException($"'{entry}' is not an address or network.")).ToList();

    /// <summary>An address (one host) or a CIDR network, or null when the text is neither.</summary>
    public static IPNetwork? TryParse(string? entry)
    {
        var text = entry?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (IPAddress.TryParse(text, out var address) && !text.Contains('/', StringComparison.Ordinal))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        return IPNetwork.TryParse(text, out var network) ? network : null;
    }
}

/// <summary>Refuses a trusted-proxy entry that is neither an address nor a network, at start.</summary>
internal sealed class NetworkOptionsValidator : IValidateOptions<NetworkOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworkOptions options)
    {
        var bad = options.TrustedProxies.Where(entry => NetworkOptions.TryParse(entry) is null).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{NetworkOptions.Section}:TrustedProxies: '{string.Join("', '", bad)}' is not an address (192.168.1.10) or network (172.16.0.0/12).");
    }
}
