using Microsoft.AspNetCore.Components;

namespace CreatorKeys.Web.Accounts;

/// <summary>Redirects from the statically rendered account pages, refusing open redirects.</summary>
public sealed class IdentityRedirectManager(NavigationManager navigation)
{
    public void RedirectTo(string? uri)
    {
        uri ??= "";
        // Only local paths: never send the creator to another site after signing in.
        if (!Uri.IsWellFormedUriString(uri, UriKind.Relative) || uri.StartsWith("//", StringComparison.Ordinal) || uri.StartsWith("/\\", StringComparison.Ordinal))
        {
            uri = navigation.ToBaseRelativePath(navigation.BaseUri);
        }

        navigation.NavigateTo(uri);
    }
}
