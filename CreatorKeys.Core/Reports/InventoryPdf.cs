using System.Reflection;
using CreatorKeys.Core.Vault;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CreatorKeys.Core.Reports;

/// <summary>
/// The inventory as a PDF (PDFsharp): a first page with the summary and a chart of keys by
/// rotation status per environment, then the table over as many landscape pages as it needs,
/// its header repeated, every page numbered. The font (DejaVu Sans) ships inside the app, so
/// the file looks the same on every machine and in Docker.
/// </summary>
public static class InventoryPdf
{
    private const string Family = "DejaVu Sans";
    private const double Margin = 36;
    private const double CellPadding = 3;

    private static readonly (string Title, double Width)[] Columns =
    [
        ("Service", 74), ("Env.", 48), ("Label", 138), ("Hint", 66), ("Cap $", 40), ("Cap set", 38), ("Spent this month", 62),
        ("Workflows", 82), ("Created", 55), ("Last rotated", 55), ("Next due", 55), ("Status", 57),
    ];

    private static readonly XColor OnSchedule = XColor.FromArgb(46, 125, 50);
    private static readonly XColor DueSoon = XColor.FromArgb(237, 108, 2);
    private static readonly XColor Overdue = XColor.FromArgb(198, 40, 40);
    private static readonly XColor Rule = XColor.FromArgb(200, 200, 200);
    private static readonly XColor HeaderFill = XColor.FromArgb(238, 238, 245);

    static InventoryPdf() => EmbeddedFonts.Install();

    public static void Write(InventoryReport report, Stream output)
    {
        using var document = new PdfDocument();
        document.Info.Title = "CreatorKeys key inventory";
        document.Info.Author = "CreatorKeys";
        document.Info.Subject = $"Inventory of {report.Account}, {report.Today:yyyy-MM-dd}";

        var fonts = new Fonts();
        FirstPage(document, report, fonts);
        TablePages(document, report, fonts);
        Footers(document, report, fonts);
        document.Save(output, closeStream: false);
    }

    private sealed class Fonts
    {
        public XFont Title { get; } = new(Family, 20, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(Family, 12, XFontStyleEx.Bold);
        public XFont Body { get; } = new(Family, 9.5, XFontStyleEx.Regular);
        public XFont Bold { get; } = new(Family, 9.5, XFontStyleEx.Bold);
        public XFont Cell { get; } = new(Family, 7.5, XFontStyleEx.Regular);
        public XFont CellBold { get; } = new(Family, 7.5, XFontStyleEx.Bold);
        public XFont Small { get; } = new(Family, 7, XFontStyleEx.Regular);
    }

    private static PdfPage NewPage(PdfDocument document)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        return page;
    }

    private static void FirstPage(PdfDocument document, InventoryReport report, Fonts fonts)
    {
        var page = NewPage(document);
        using var gfx = XGraphics.FromPdfPage(page);
        var y = Margin;
        gfx.DrawString("Key inventory", fonts.Title, XBrushes.Black, new XPoint(Margin, y + 20));
        y += 34;
        foreach (var line in Wrap(gfx, $"Account {report.Account} · generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC · {report.Filter.Describe()} · {CreatorKeys.Core.Text.Wording.Count(report.Rows.Count, "key")}", fonts.Body, page.Width.Point - 2 * Margin))
        {
            gfx.DrawString(line, fonts.Body, XBrushes.Black, new XPoint(Margin, y));
            y += 14;
        }

        gfx.DrawString("This report lists keys by their name and hint only. It never contains a key's value.", fonts.Body, XBrushes.DimGray, new XPoint(Margin, y));
        y += 28;

        // Summary table.
        gfx.DrawString("Summary of the whole vault", fonts.Heading, XBrushes.Black, new XPoint(Margin, y));
        y += 10;
        string[] headers = ["Environment", "Keys in use", "Caps total (USD / month)", "On schedule", "Due within 30 days", "Overdue"];
        double[] widths = [110, 80, 150, 90, 120, 80];
        y = Row(gfx, headers, widths, Margin, y, fonts.Bold, HeaderFill);
        foreach (var environment in report.Summary.Environments)
        {
            y = Row(gfx,
                [environment.Environment.Code(), environment.Keys.ToString(System.Globalization.CultureInfo.InvariantCulture), ReportText.Money(environment.CapsTotalUsd) is { Length: > 0 } caps ? caps : "0",
                 environment.OnSchedule.ToString(System.Globalization.CultureInfo.InvariantCulture), environment.DueSoon.ToString(System.Globalization.CultureInfo.InvariantCulture), environment.Overdue.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                widths, Margin, y, fonts.Body, null);
        }

        y += 14;
        var missing = report.Summary.ProvidersMissingAnEnvironment;
        var missingText = report.Summary.Environments.Sum(e => e.Keys) == 0
            ? "No key is in use yet."
            : missing.Count == 0
            ? "Every service has its DEV, STAGING and PROD key."
            : $"Services missing an environment: {string.Join("; ", missing)}.";
        foreach (var line in Wrap(gfx, missingText, fonts.Body, page.Width.Point - 2 * Margin))
        {
            gfx.DrawString(line, fonts.Body, XBrushes.Black, new XPoint(Margin, y));
            y += 13;
        }

        y += 18;
        Chart(gfx, report, fonts, Margin, y, page.Width.Point - 2 * Margin);
    }

    /// <summary>Horizontal stacked bars: per environment, keys on schedule, due soon and overdue.</summary>
    private static void Chart(XGraphics gfx, InventoryReport report, Fonts fonts, double x, double y, double width)
    {
        gfx.DrawString("Keys in use by rotation status", fonts.Heading, XBrushes.Black, new XPoint(x, y));
        y += 16;
        var legend = new[] { ("On schedule", OnSchedule), ("Due within 30 days", DueSoon), ("Overdue", Overdue) };
        var lx = x;
        foreach (var (name, color) in legend)
        {
            gfx.DrawRectangle(new XSolidBrush(color), lx, y - 8, 10, 10);
            gfx.DrawString(name, fonts.Body, XBrushes.Black, new XPoint(lx + 14, y + 1));
            lx += 24 + gfx.MeasureString(name, fonts.Body).Width;
        }

        y += 14;
        var labelWidth = 80.0;
        var barWidth = width - labelWidth - 60;
        var most = Math.Max(1, report.Summary.Environments.Max(e => e.Keys));
        foreach (var environment in report.Summary.Environments)
        {
            gfx.DrawString(environment.Environment.Code(), fonts.Bold, XBrushes.Black, new XPoint(x, y + 13));
            var bx = x + labelWidth;
            foreach (var (count, color) in new[] { (environment.OnSchedule, OnSchedule), (environment.DueSoon, DueSoon), (environment.Overdue, Overdue) })
            {
                if (count == 0)
                {
                    continue;
                }

                var w = barWidth * count / most;
                gfx.DrawRectangle(new XSolidBrush(color), bx, y, w, 18);
                if (w > 14)
                {
                    gfx.DrawString(count.ToString(System.Globalization.CultureInfo.InvariantCulture), fonts.Bold, XBrushes.White, new XRect(bx, y, w, 18), XStringFormats.Center);
                }

                bx += w;
            }

            gfx.DrawString($"{environment.Keys} key{(environment.Keys == 1 ? "" : "s")}", fonts.Body, XBrushes.Black, new XPoint(bx + 6, y + 13));
            y += 28;
        }
    }

    private static void TablePages(PdfDocument document, InventoryReport report, Fonts fonts)
    {
        var widths = Columns.Select(c => c.Width).ToArray();
        var titles = Columns.Select(c => c.Title).ToArray();
        PdfPage? page = null;
        XGraphics? gfx = null;
        double y = 0;
        double bottom = 0;
        try
        {
            void StartPage()
            {
                gfx?.Dispose();
                page = NewPage(document);
                gfx = XGraphics.FromPdfPage(page);
                bottom = page.Height.Point - Margin - 18;
                y = Margin;
                gfx.DrawString(document.PageCount == 2 ? $"Keys — {report.Filter.Describe()}" : $"Keys — {report.Filter.Describe()} (continued)", fonts.Heading, XBrushes.Black, new XPoint(Margin, y + 10));
                y += 18;
                y = Row(gfx, titles, widths, Margin, y, fonts.CellBold, HeaderFill);
            }

            StartPage();
            if (report.Rows.Count == 0)
            {
                gfx!.DrawString("No key matches this report's filters.", fonts.Body, XBrushes.Black, new XPoint(Margin, y + 14));
                return;
            }

            foreach (var row in report.Rows)
            {
                var cells = InventoryExports.CsvCells(row).ToArray();
                var height = RowHeight(gfx!, cells, widths, fonts.Cell);
                if (y + height > bottom)
                {
                    StartPage();
                }

                y = Row(gfx!, cells, widths, Margin, y, fonts.Cell, null, StatusColor(row, report.Today));
            }
        }
        finally
        {
            gfx?.Dispose();
        }
    }

    private static XColor? StatusColor(InventoryRow row, DateOnly today) =>
        row.Status == ReportStatus.Compromised ? Overdue
        : row.Status == ReportStatus.Current && row.NextDue is { } due && due < today ? Overdue
        : row.Status == ReportStatus.Current && row.NextDue is { } soon && soon.DayNumber - today.DayNumber <= InventorySummary.DueSoonDays ? DueSoon
        : null;

    private static void Footers(PdfDocument document, InventoryReport report, Fonts fonts)
    {
        for (var i = 0; i < document.PageCount; i++)
        {
            var page = document.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin + 6;
            gfx.DrawLine(new XPen(Rule, 0.5), Margin, y - 10, page.Width.Point - Margin, y - 10);
            gfx.DrawString($"CreatorKeys · {report.Account} · generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC", fonts.Small, XBrushes.DimGray, new XPoint(Margin, y));
            var number = $"Page {i + 1} of {document.PageCount}";
            var width = gfx.MeasureString(number, fonts.Small).Width;
            gfx.DrawString(number, fonts.Small, XBrushes.DimGray, new XPoint(page.Width.Point - Margin - width, y));
        }
    }

    /// <summary>Draws one table row, each cell's text wrapped to its width; returns the y below it.</summary>
    private static double Row(XGraphics gfx, string[] cells, double[] widths, double x, double y, XFont font, XColor? fill, XColor? mark = null)
    {
        var lines = cells.Select((c, i) => Wrap(gfx, c, font, widths[i] - 2 * CellPadding)).ToList();
        var lineHeight = font.Size * 1.3;
        var height = lines.Max(l => Math.Max(1, l.Count)) * lineHeight + 2 * CellPadding;
        var total = widths.Sum();
        if (fill is { } background)
        {
            gfx.DrawRectangle(new XSolidBrush(background), x, y, total, height);
        }

        if (mark is { } color)
        {
            gfx.DrawRectangle(new XSolidBrush(color), x, y, 2.5, height);
        }

        var cx = x;
        for (var i = 0; i < cells.Length; i++)
        {
            var ly = y + CellPadding + font.Size;
            foreach (var line in lines[i])
            {
                gfx.DrawString(line, font, XBrushes.Black, new XPoint(cx + CellPadding + (i == 0 ? 2 : 0), ly));
                ly += lineHeight;
            }

            cx += widths[i];
        }

        gfx.DrawLine(new XPen(Rule, 0.5), x, y + height, x + total, y + height);
        return y + height;
    }

    private static double RowHeight(XGraphics gfx, string[] cells, double[] widths, XFont font) =>
        cells.Select((c, i) => Math.Max(1, Wrap(gfx, c, font, widths[i] - 2 * CellPadding).Count)).Max() * font.Size * 1.3 + 2 * CellPadding;

    /// <summary>Splits text into lines that fit the width, at spaces where it can and inside a word where it must.</summary>
    internal static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (gfx.MeasureString(current, font).Width > width && current.Length > 1)
            {
                var fit = current.Length - 1;
                while (fit > 1 && gfx.MeasureString(current[..fit], font).Width > width)
                {
                    fit--;
                }

                lines.Add(current[..fit]);
                current = current[fit..];
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        return lines;
    }

    /// <summary>Serves the fonts embedded in this assembly to PDFsharp, whatever the machine has installed.</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        private static readonly Lock Gate = new();
        private static bool _installed;

        public static void Install()
        {
            lock (Gate)
            {
                if (_installed)
                {
                    return;
                }

                GlobalFontSettings.FontResolver ??= new EmbeddedFonts();
                _installed = true;
            }
        }

        public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
            new(bold ? "DejaVuSans-Bold" : "DejaVuSans", mustSimulateBold: false, mustSimulateItalic: italic);

        public byte[]? GetFont(string faceName)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"CreatorKeys.Core.Reports.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"The font {faceName} is not embedded in CreatorKeys.Core.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
