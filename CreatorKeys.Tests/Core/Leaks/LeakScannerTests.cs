using System.Security.Cryptography;
using System.Text;
using CreatorKeys.Core.Leaks;
using CreatorKeys.Core.Providers;

namespace CreatorKeys.Tests.Core.Leaks;

public sealed class LeakScannerTests
{
    private const string Key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cDE0f";

    [Theory]
    [InlineData("My key is " + Key + ", please don't share it.")]
    [InlineData("{\"apiKey\":\"" + Key + "\",\"model\":\"gpt-4o\"}")]
    [InlineData("curl https://api.example.com/v1/run?api_key=" + Key + "&q=1")]
    [InlineData("Authorization: Bearer " + Key)]
    [InlineData("OPENAI_API_KEY=" + Key)]
    [InlineData("(" + Key + ")")]
    public void Candidates_FindTheKeyWhereverItSits(string text) =>
        Assert.Contains(LeakScanner.Candidates(text), c => c.Text == Key);

    [Fact]
    public void Candidates_FindAKeyWrappedAcrossTwoLines()
    {
        var text = "here you go:\n" + Key[..20] + "\n" + Key[20..] + "\nthanks";

        var found = Assert.Single(LeakScanner.Candidates(text), c => c.Text == Key);

        Assert.Equal(2, found.Line);
    }

    [Fact]
    public void Candidates_ReportTheLine()
    {
        var text = "line one\nline two\nthe key: " + Key;

        Assert.Equal(3, LeakScanner.Candidates(text).Single(c => c.Text == Key).Line);
    }

    [Theory]
    [InlineData("internationalization")]
    [InlineData("Pneumonoultramicroscopicsilicovolcanoconiosis")]
    [InlineData("supercalifragilisticexpialidocious_and_more")]
    [InlineData("2fd4e1c67a2d28fced849ee1bb76e7391b93eb12")] // a sha1
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")] // a sha256
    [InlineData("https://www.example.com/some/long/path/to/a/page")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Classify_WordsHashesAndAddresses_AreNotKeys(string text) =>
        Assert.False(LeakScanner.Classify(text, ProviderCatalog.Shipped.Providers).LooksLikeKey);

    [Fact]
    public void Classify_KnownPrefix_NamesTheProvider()
    {
        var (looksLikeKey, provider) = LeakScanner.Classify("r8_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD", ProviderCatalog.Shipped.Providers);

        Assert.True(looksLikeKey);
        Assert.Equal("replicate", provider!.Id);
    }

    [Fact]
    public void Classify_RandomTokenOfNoKnownService_StillLooksLikeAKey()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace("+", "x").Replace("/", "y") + "7Q";

        Assert.True(LeakScanner.Classify(token, ProviderCatalog.Shipped.Providers).LooksLikeKey);
    }

    [Fact]
    public void Candidates_OfALongDocument_AreFoundQuickly()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            text.AppendLine($"Paragraph {i}: the quick brown fox jumps over the lazy dog, internationalization, commit 2fd4e1c67a2d28fced849ee1bb76e7391b93eb12.");
        }

        text.AppendLine(Key);

        Assert.Contains(LeakScanner.Candidates(text.ToString()), c => c.Text == Key);
    }
}
