using CreatorKeys.Core.Import;

namespace CreatorKeys.Tests.Core.Import;

public sealed class DotEnvParserTests
{
    [Fact]
    public void Parse_PlainLinesCommentsBlanksAndExport()
    {
        var document = DotEnvParser.Parse("""
            # OpenAI
            OPENAI_API_KEY=sk-abc123

            export ELEVENLABS_API_KEY = sk_def456
              # indented comment
            EMPTY=
            """);

        Assert.Empty(document.Problems);
        Assert.Equal(
            [new DotEnvEntry(2, "OPENAI_API_KEY", "sk-abc123"), new DotEnvEntry(4, "ELEVENLABS_API_KEY", "sk_def456"), new DotEnvEntry(6, "EMPTY", "")],
            document.Entries);
    }

    [Fact]
    public void Parse_QuotedValues_KeepSpacesAndHashes()
    {
        var document = DotEnvParser.Parse("A=\"a # not a comment\"\nB='b  c'\nC=`c`\nD=plain # comment\nE=\"e\" # comment after quotes");

        Assert.Equal(["a # not a comment", "b  c", "c", "plain", "e"], document.Entries.Select(e => e.Value).ToArray());
        Assert.Empty(document.Problems);
    }

    [Fact]
    public void Parse_DoubleQuotes_UnderstandEscapes_SingleQuotesDoNot()
    {
        var document = DotEnvParser.Parse("A=\"line1\\nline2\\t\\\"q\\\" \\\\ end\"\nB='raw\\n'");

        Assert.Equal("line1\nline2\t\"q\" \\ end", document.Entries[0].Value);
        Assert.Equal("raw\\n", document.Entries[1].Value);
    }

    [Fact]
    public void Parse_DoubleQuotedValue_MaySpanLines()
    {
        var document = DotEnvParser.Parse("CERT=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1");

        Assert.Equal("-----BEGIN-----\nabc\n-----END-----", document.Entries[0].Value);
        Assert.Equal(new DotEnvEntry(4, "NEXT", "1"), document.Entries[1]);
    }

    [Fact]
    public void Parse_WindowsLineEndsAndByteOrderMark_AreIgnored()
    {
        var document = DotEnvParser.Parse("\uFEFFA=1\r\nB=\"two\"\r\n\r\nC=3\r\n");

        Assert.Equal([("A", "1", 1), ("B", "two", 2), ("C", "3", 4)], document.Entries.Select(e => (e.Name, e.Value, e.Line)).ToArray());
        Assert.Empty(document.Problems);
    }

    [Fact]
    public void Parse_MalformedLines_AreReportedWithTheirNumber_AndTheRestIsRead()
    {
        var document = DotEnvParser.Parse("GOOD=1\njust some words\n1BAD=2\nQUOTE=\"unclosed\nALSO_GOOD=3");

        Assert.Equal(["GOOD", "ALSO_GOOD"], document.Entries.Select(e => e.Name).ToArray());
        Assert.Equal([2, 3, 4], document.Problems.Select(p => p.Line).ToArray());
        Assert.Contains("no “=”", document.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits and _", document.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("never closed", document.Problems[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedQuote_IsReportedOnItsLineAndTheNextLinesStillRead()
    {
        var document = DotEnvParser.Parse("A=\"open\nB=2\nC=\"closed\"");

        Assert.Equal([("B", "2"), ("C", "closed")], document.Entries.Select(e => (e.Name, e.Value)).ToArray());
        var problem = Assert.Single(document.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("closing quote on line 3 has text after it", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A=\"never closed", "double quote")]
    [InlineData("A='never closed", "single quote")]
    [InlineData("A=`never closed", "backtick")]
    public void Parse_QuoteNeverClosed_NamesTheQuote(string text, string quote) =>
        Assert.Equal($"The {quote} that starts the value is never closed.", Assert.Single(DotEnvParser.Parse(text).Problems).Message);

    [Fact]
    public void Parse_TabBeforeComment_EndsTheValue()
    {
        var document = DotEnvParser.Parse("KEY=sk-abc123\t# my note\nOTHER=x\t\t#");

        Assert.Equal(["sk-abc123", "x"], document.Entries.Select(e => e.Value).ToArray());
    }

    [Fact]
    public void Parse_TextAfterClosingQuote_IsAProblem()
    {
        var document = DotEnvParser.Parse("A=\"value\" trailing");

        Assert.Empty(document.Entries);
        Assert.Equal(1, Assert.Single(document.Problems).Line);
    }

    [Fact]
    public void Parse_DuplicateNames_KeepTheLastAndReportTheEarlier()
    {
        var document = DotEnvParser.Parse("KEY=first\nOTHER=x\nKEY=second");

        Assert.Equal([("OTHER", "x"), ("KEY", "second")], document.Entries.Select(e => (e.Name, e.Value)).ToArray());
        var problem = Assert.Single(document.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Equal("KEY is set again on line 3; the later value is used.", problem.Message);
    }

    [Fact]
    public void Parse_EmptyText_IsEmpty()
    {
        var document = DotEnvParser.Parse("");

        Assert.Empty(document.Entries);
        Assert.Empty(document.Problems);
    }
}
