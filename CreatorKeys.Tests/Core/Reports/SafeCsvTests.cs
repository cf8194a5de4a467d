using System.Text;
using CreatorKeys.Core.Reports;
using CsvHelper;

namespace CreatorKeys.Tests.Core.Reports;

/// <summary>
/// What a spreadsheet must never run: the cells SafeCsv neutralises, pinned as literals here rather
/// than read from <see cref="SafeCsv.InjectionCharacters"/>, so that a change to that list breaks a test.
/// </summary>
public sealed class SafeCsvTests
{
    /// <summary>
    /// The first characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection):
    /// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab and carriage return.
    /// </summary>
    internal const string FormulaStarts = "=+-@\t\r";

    /// <summary>Whether a spreadsheet would read <paramref name="cell"/> as a formula.</summary>
    internal static bool StartsLikeAFormula(string cell) => cell.Length > 0 && FormulaStarts.Contains(cell[0], StringComparison.Ordinal);

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\")")]
    [InlineData("+cmd|' /C calc'!A0")]
    [InlineData("-2+3")]
    [InlineData("@SUM(1+1)")]
    [InlineData("\t=1+1")]
    [InlineData("\r=1+1")]
    public async Task Write_CellThatStartsLikeAFormula_IsQuotedBehindASingleQuote(string cell)
    {
        var (text, parsed) = await WriteAndReadBackAsync(cell);

        // Quoted as CSV quotes any cell: the whole cell in double quotes, its own double quotes doubled.
        Assert.Contains("\"'" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"", text, StringComparison.Ordinal);
        Assert.Equal("'" + cell, parsed);
    }

    [Theory]
    [InlineData("PROD — OpenAI — main")]
    [InlineData("1+1")]
    [InlineData("a=b")]
    [InlineData("sk-…a1B2")]
    public async Task Write_OrdinaryCell_IsKeptAsItIs(string cell)
    {
        var (text, parsed) = await WriteAndReadBackAsync(cell);

        Assert.DoesNotContain("'", text, StringComparison.Ordinal);
        Assert.Equal(cell, parsed);
    }

    private static async Task<(string Text, string Parsed)> WriteAndReadBackAsync(string cell)
    {
        using var output = new MemoryStream();
        await SafeCsv.WriteAsync(output, ["name"], [[cell]]);
        var bytes = output.ToArray();
        using var reader = CsvReader.Create(new MemoryStream(bytes));
        Assert.True(reader.Read());
        var parsed = reader.GetString(0);
        Assert.False(reader.Read());
        return (Encoding.UTF8.GetString(bytes), parsed);
    }
}
