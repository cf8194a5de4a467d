using System.ComponentModel.DataAnnotations;
using System.Net;

namespace CreatorKeys.Core.Providers.Connections;

/// <summary>Whether CreatorKeys may call provider APIs at all.</summary>
public enum ProviderCalls
{
    /// <summary>Calls go out when the creator asks (a check, a rotation, a spend reading).</summary>
    On,

    /// <summary>Nothing leaves the machine: an offline install; the app hides the buttons and says why.</summary>
    Off,
}

/// <summary>
/// How CreatorKeys talks to the providers' own APIs. Section <c>CreatorKeys:Providers</c>; each provider's address
/// can be replaced with <c>CreatorKeys:Providers:&lt;id&gt;:BaseAddress</c> (a proxy, or a fake provider in the tests).
/// </summary>
public sealed class ProviderConnectionOptions
{
    public const string Section = "CreatorKeys:Providers";

    public ProviderCalls Calls { get; set; } = ProviderCalls.On;

    /// <summary>How long one request may take before the provider counts as not answering.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The wait before the one retry after a 5xx or a timeout (doubled by the backoff, capped by Retry-After's own wait).</summary>
    [Range(0, 60_000)]
    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>Replacement addresses by provider id, read from <c>CreatorKeys:Providers:&lt;id&gt;:BaseAddress</c>.</summary>
    public Dictionary<string, string> BaseAddresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool CallsAllowed => Calls == ProviderCalls.On;

    /// <summary>The root every request to <paramref name="providerId"/> goes to: the setting, or the provider's documented host.</summary>
    public Uri BaseAddressFor(string providerId, Uri documented) =>
        BaseAddresses.TryGetValue(providerId, out var configured) ? WithTrailingSlash(new Uri(configured, UriKind.Absolute)) : documented;

    internal static Uri WithTrailingSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/", UriKind.Absolute);

    /// <summary>Null when <paramref name="address"/> may carry keys; otherwise the reason, in words for whoever runs the install.</summary>
    internal static string? Refuse(string providerId, string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return $"{Section}:{providerId}:BaseAddress must be a full web address such as https://proxy.example.com/ (it is '{address}').";
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"{Section}:{providerId}:BaseAddress must not carry a query, a fragment or a user name.";
        }

        // Keys travel in headers: in clear text only to this machine itself.
        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip));
        return uri.Scheme == Uri.UriSchemeHttp && !loopback
            ? $"{Section}:{providerId}:BaseAddress must start with https:// (plain http is allowed only for this machine, 127.0.0.1 or localhost), because API keys travel in it."
            : null;
    }
}
