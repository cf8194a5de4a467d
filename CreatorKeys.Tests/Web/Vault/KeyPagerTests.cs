using Bunit;
using CreatorKeys.Core.Vault;
using CreatorKeys.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace CreatorKeys.Tests.Web.Vault;

public sealed class KeyPagerTests : BunitContext
{
    [Theory]
    [InlineData(1, 1, "1")]
    [InlineData(2, 2, "1 2")]
    [InlineData(0, 5, "1 2 3 4 5")]
    [InlineData(1, 9, "1 2 3 4 5 6 7 8 9")]
    [InlineData(1, 134, "1 2 3 4 5 6 … 133 134")]
    [InlineData(5, 134, "1 2 3 4 5 6 … 133 134")]
    [InlineData(6, 134, "1 2 … 5 6 7 … 133 134")]
    [InlineData(67, 134, "1 2 … 66 67 68 … 133 134")]
    [InlineData(130, 134, "1 2 … 129 130 131 132 133 134")]
    [InlineData(134, 134, "1 2 … 129 130 131 132 133 134")]
    [InlineData(4, 10, "1 2 3 4 5 6 … 9 10")]
    [InlineData(6, 10, "1 2 … 5 6 7 8 9 10")]
    [InlineData(99, 10, "1 2 … 5 6 7 8 9 10")]
    public void Slots_KeepBothEndsAndTheCurrentPageInNinePlaces(int current, int count, string expected)
    {
        var slots = KeyPager.Slots(current, count);

        Assert.Equal(expected, string.Join(" ", slots.Select(s => s?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "…")));
        Assert.True(slots.Count <= 9);
        Assert.Contains(Math.Clamp(current, 1, count), slots);
    }

    [Fact]
    public void Slots_NoPages_OffersNone() => Assert.Empty(KeyPager.Slots(1, 0));

    [Fact]
    public void Render_LastPage_MarksItCurrentDisablesForwardAndGoesBack()
    {
        var chosen = new List<int>();
        var pager = Render<KeyPager>(p => p
            .Add(x => x.Page, PageOf(total: 60, page: 2))
            .Add(x => x.Noun, "DEV keys")
            .Add(x => x.PageChanged, EventCallback.Factory.Create<int>(this, chosen.Add)));

        Assert.Equal("Showing 51–60 of 60 DEV keys", pager.Find("[data-testid='page-position']").TextContent.Trim());
        Assert.Equal("Pages of DEV keys", pager.Find("nav").GetAttribute("aria-label"));
        Assert.Equal("page", pager.Find("button[aria-label='Current page 3']").GetAttribute("aria-current"));
        Assert.True(pager.Find("button[aria-label='Next page']").HasAttribute("disabled"));
        Assert.True(pager.Find("button[aria-label='Last page']").HasAttribute("disabled"));
        Assert.False(pager.Find("button[aria-label='First page']").HasAttribute("disabled"));

        pager.Find("button[aria-label='Previous page']").Click();
        pager.Find("button[aria-label='Page 1']").Click();
        pager.Find("button[aria-label='First page']").Click();

        Assert.Equal([2, 1, 1], chosen);
    }

    [Fact]
    public void Render_OnePage_ShowsNothing()
    {
        var pager = Render<KeyPager>(p => p.Add(x => x.Page, PageOf(total: 25, page: 0)).Add(x => x.Noun, "DEV keys"));

        Assert.Empty(pager.Markup.Trim());
    }

    private static KeyListPage PageOf(int total, int page)
    {
        var rows = Math.Min(KeyListQuery.DefaultPageSize, total - (page * KeyListQuery.DefaultPageSize));
        var keys = Enumerable.Range(0, rows).Select(_ => (KeySummary)null!).ToList();
        return new KeyListPage(keys, total, page, KeyListQuery.DefaultPageSize);
    }
}
