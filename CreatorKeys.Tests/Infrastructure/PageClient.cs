using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace CreatorKeys.Tests.Infrastructure;

/// <summary>
/// A browser without JavaScript: fetches pages, fills the statically rendered forms
/// (sign-up, sign-in, recovery) by field name and posts them with their antiforgery token.
/// Keeps cookies; does not follow redirects, so tests can see where the app sends them.
/// </summary>
public sealed class PageClient : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public PageClient(Uri baseAddress, CookieContainer? cookies = null, bool trustSelfSignedCertificate = false)
    {
        Cookies = cookies ?? new CookieContainer();
        var handler = new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = Cookies };
        if (trustSelfSignedCertificate)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        Http = new HttpClient(handler) { BaseAddress = baseAddress };
    }

    public HttpClient Http { get; }

    /// <summary>The cookie jar; pass it to a client of a restarted app to come back with the same cookies.</summary>
    public CookieContainer Cookies { get; }

    public static PageClient For(AppHost app, CookieContainer? cookies = null) => new(app.BaseAddress, cookies);

    public async Task<PageResponse> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path.TrimStart('/'));
        return await PageResponse.ReadAsync(response);
    }

    /// <summary>Loads <paramref name="path"/>, fills the form named <paramref name="formName"/> and submits it.</summary>
    public async Task<PageResponse> SubmitAsync(string path, string formName, IReadOnlyDictionary<string, string> fields)
    {
        var page = await GetAsync(path);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {path} answered {page.Status} ({page.Location}).");
        var form = page.Document.QuerySelectorAll("form")
            .FirstOrDefault(f => f.QuerySelector($"input[name='_handler'][value='{formName}']") is not null)
            ?? throw new InvalidOperationException($"No form named '{formName}' on {path}.");

        var values = form.QuerySelectorAll("input[name]")
            .Where(i => i.GetAttribute("type") is not ("checkbox" or "submit") || i.HasAttribute("checked"))
            .ToDictionary(i => i.GetAttribute("name")!, i => i.GetAttribute("value") ?? "");
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? path.TrimStart('/') : action.TrimStart('/');
        using var content = new FormUrlEncodedContent(values);
        using var response = await Http.PostAsync(target, content);
        return await PageResponse.ReadAsync(response);
    }

    /// <summary>Posts a form that only needs the antiforgery token found on <paramref name="pageWithToken"/> (e.g. sign-out).</summary>
    public async Task<PageResponse> PostWithTokenAsync(string pageWithToken, string target)
    {
        var page = await GetAsync(pageWithToken);
        var token = page.Document.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"No antiforgery token on {pageWithToken}.");
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        using var response = await Http.PostAsync(target.TrimStart('/'), content);
        return await PageResponse.ReadAsync(response);
    }

    public void Dispose() => Http.Dispose();

    /// <summary>A response; <see cref="Location"/> is the redirect's path and query, whether the app sent it absolute or not.</summary>
    public sealed record PageResponse(HttpStatusCode Status, string? Location, string Html, IDocument Document)
    {
        /// <summary>The response's headers (Set-Cookie included), for tests of cookie flags and hardening headers.</summary>
        public IReadOnlyDictionary<string, string[]> Headers { get; init; } = new Dictionary<string, string[]>();

        public IReadOnlyList<string> SetCookies => Headers.TryGetValue("Set-Cookie", out var values) ? values : [];

        public static async Task<PageResponse> ReadAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            var location = response.Headers.Location;
            var path = location is null ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.ToString();
            var headers = response.Headers.Concat(response.Content.Headers)
                .ToDictionary(h => h.Key, h => h.Value.ToArray(), StringComparer.OrdinalIgnoreCase);
            return new PageResponse(response.StatusCode, path, html, Parser.ParseDocument(html)) { Headers = headers };
        }

        /// <summary>The validation messages shown inside the same field block as the input with this id.</summary>
        public IReadOnlyList<string> MessagesNextTo(string inputId)
        {
            var input = Document.GetElementById(inputId) ?? throw new InvalidOperationException($"No input #{inputId} on the page.");
            var field = input.Closest(".ck-field") ?? input.ParentElement!;
            return field.QuerySelectorAll(".validation-message").Select(m => m.TextContent.Trim()).ToList();
        }

        public string? Alert => Document.QuerySelector("[role='alert']")?.TextContent.Trim();

        public string? StatusMessage => Document.QuerySelector("[role='status']")?.TextContent.Trim();
    }
}
