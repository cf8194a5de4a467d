using Microsoft.AspNetCore.Http.Features;

namespace CreatorKeys.Web.Network;

/// <summary>
/// Over HTTPS (directly, through a trusted proxy, or whenever the public address is https) every
/// cookie the app sets is <c>Secure</c>, <c>Path=/</c>, without <c>Domain</c>, and named with the
/// <c>__Host-</c> prefix, which browsers accept only on those terms: another site on the same domain,
/// or someone on the network injecting a plain-HTTP response, cannot plant or overwrite one. Incoming
/// cookies are read back under their plain names, and an unprefixed one is ignored over HTTPS.
/// </summary>
/// <remarks>
/// One place for every cookie (sign-in, two-step, antiforgery, notices) instead of a name per
/// option: the name depends on the request, and the antiforgery cookie has no per-request hook.
/// </remarks>
public static class HostPrefixedCookies
{
    public const string Prefix = "__Host-";

    public static IApplicationBuilder UseHostPrefixedCookies(this IApplicationBuilder app)
    {
        var publicAddress = app.ApplicationServices.GetRequiredService<PublicAddress>();
        return app.Use((context, next) =>
        {
            if (context.Request.IsHttps || publicAddress.IsHttps)
            {
                // Reading the properties makes the framework's features, which the wrappers then replace.
                var requestCookies = context.Request.Cookies;
                context.Features.Set<IRequestCookiesFeature>(new RequestCookiesFeature(new UnprefixedRequestCookies(requestCookies)));
                var responseCookies = context.Response.Cookies;
                context.Features.Set<IResponseCookiesFeature>(new PrefixedResponseCookiesFeature(new PrefixedResponseCookies(responseCookies)));
            }

            return next(context);
        });
    }

    private sealed class PrefixedResponseCookiesFeature(IResponseCookies cookies) : IResponseCookiesFeature
    {
        public IResponseCookies Cookies { get; } = cookies;
    }

    private sealed class PrefixedResponseCookies(IResponseCookies inner) : IResponseCookies
    {
        public void Append(string key, string value) => Append(key, value, new CookieOptions());

        public void Append(string key, string value, CookieOptions options) => inner.Append(Prefix + key, value, Harden(options));

        public void Append(ReadOnlySpan<KeyValuePair<string, string>> keyValuePairs, CookieOptions options)
        {
            foreach (var (key, value) in keyValuePairs)
            {
                Append(key, value, options);
            }
        }

        public void Delete(string key) => Delete(key, new CookieOptions());

        public void Delete(string key, CookieOptions options) => inner.Delete(Prefix + key, Harden(options));

        private static CookieOptions Harden(CookieOptions options) => new(options) { Secure = true, Path = "/", Domain = null };
    }

    private sealed class UnprefixedRequestCookies(IRequestCookieCollection inner) : IRequestCookieCollection
    {
        private readonly Dictionary<string, string> _cookies = inner
            .Where(c => c.Key.StartsWith(Prefix, StringComparison.Ordinal))
            .GroupBy(c => c.Key[Prefix.Length..], StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase);

        public string? this[string key] => _cookies.GetValueOrDefault(key);

        public int Count => _cookies.Count;

        public ICollection<string> Keys => _cookies.Keys;

        public bool ContainsKey(string key) => _cookies.ContainsKey(key);

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _cookies.TryGetValue(key, out value);

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _cookies.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class RequestCookiesFeature(IRequestCookieCollection cookies) : IRequestCookiesFeature
    {
        public IRequestCookieCollection Cookies { get; set; } = cookies;
    }
}
