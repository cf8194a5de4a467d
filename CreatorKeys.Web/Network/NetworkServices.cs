using CreatorKeys.Core.Email;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace CreatorKeys.Web.Network;

/// <summary>Being safe on a network: trusted proxies, the host names answered to, the first-sign-up setup code.</summary>
public static class NetworkServices
{
    public static IHostApplicationBuilder AddNetworkServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<NetworkOptions>, NetworkOptionsValidator>();
        services.AddSingleton<PublicAddress>();
        services.AddSingleton<SetupCode>();
        services.AddHostedService(provider => provider.GetRequiredService<SetupCode>());

        // Behind a reverse proxy (Caddy, nginx) that ends HTTPS, the app still knows the request was
        // secure (HSTS, Secure __Host- cookies) and who sent it (activity log), but only from the
        // proxies the setting names (loopback when it is empty).
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<NetworkOptions>>((forwarded, network) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var trusted in network.Value.TrustedNetworks())
            {
                forwarded.KnownIPNetworks.Add(trusted);
            }
        });

        // Unless AllowedHosts is set, answer only to the public address's host and this machine's names:
        // a web page elsewhere cannot point a name it owns at 127.0.0.1 (DNS rebinding) and talk to the app.
        var configuration = builder.Configuration;
        services.AddOptions<HostFilteringOptions>().Configure<PublicAddress>((hosts, publicAddress) =>
        {
            if (string.IsNullOrWhiteSpace(configuration["AllowedHosts"]))
            {
                hosts.AllowedHosts = publicAddress.AllowedHosts().ToList();
            }
        });

        return builder;
    }
}
