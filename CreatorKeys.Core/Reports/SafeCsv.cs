using CsvHelper;

namespace CreatorKeys.Core.Reports;

/// <summary>
/// CSV that a spreadsheet opens without running anything: a cell that begins with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return is prefixed with a single
/// quote and quoted, as the OWASP guidance on CSV injection describes (CsvHelper's
/// <see cref="CsvInjection.Escape"/>). UTF-8 with a byte-order mark, so spreadsheets read "—" right.
/// </summary>
public static class SafeCsv
{
    public const string InjectionCharacters = "=+-@\t\r";

    public static CsvWriterOptions Options { get; } = new()
    {
        Injection = CsvInjection.Escape,
        InjectionCharacters = InjectionCharacters,
        InjectionEscape = '\'',
        NewLine = "\r\n",
        WriteByteOrderMark = true,
    };

    /// <summary>Writes a header row and the rows, each already turned into cells.</summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, CancellationToken cancellationToken = default)
    {
        await using var csv = CsvWriter.Create(output, Options, true);
        foreach (var cell in header)
        {
            csv.WriteField(cell);
        }

        await csv.EndRecordAsync(cancellationToken);
        foreach (var row in rows)
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell);
            }

            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }
}
