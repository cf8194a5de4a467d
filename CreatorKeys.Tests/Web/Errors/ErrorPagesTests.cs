using Bunit;
using CreatorKeys.Web.Components.Pages.Errors;
using Microsoft.AspNetCore.Components;

namespace CreatorKeys.Tests.Web.Errors;

/// <summary>The way out of an error page is a real link home, not a button that goes nowhere.</summary>
public sealed class ErrorPagesTests : ComponentTestContext
{
    [Fact]
    public void NotFoundPage_GoToTheDashboard_IsALinkHome() =>
        Assert.Equal("/", DashboardLink(Render<NotFoundPage>()).GetAttribute("href"));

    [Fact]
    public void ErrorPage_GoToTheDashboard_IsALinkHome() =>
        Assert.Equal("/", DashboardLink(Render<ErrorPage>()).GetAttribute("href"));

    private static AngleSharp.Dom.IElement DashboardLink<T>(IRenderedComponent<T> page)
        where T : IComponent =>
        page.FindAll("a[href]").Single(a => a.TextContent.Trim() == "Go to the dashboard");
}
