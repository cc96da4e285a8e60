using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using PdfPageSize = UglyToad.PdfPig.Content.PageSize;

namespace SemanticSearch.Tests.Extraction;

/// <summary>Lays out PDF fixtures in memory with PdfPig's writer: headings in bold, paragraphs as given lines of 11 pt text.</summary>
internal sealed class TestPdfBuilder
{
    private const double Left = 60;
    private const double Top = 780;
    private const double BodySize = 11;
    private const double BodyLeading = 15;

    // A 1×1 pixel PNG: a page with only an image is what a scan without OCR looks like.
    private const string OnePixelPng =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    // The writer is disposable, so the builder records the layout steps and replays them on a fresh writer in Build.
    private readonly List<Action<Layout>> _steps = [];
    private string? _title;
    private string? _keywords;

    /// <summary>The document information dictionary's Title and Keywords.</summary>
    public TestPdfBuilder Information(string? title, string? keywords)
    {
        (_title, _keywords) = (title, keywords);
        return this;
    }

    public TestPdfBuilder Heading(string text, double size)
    {
        _steps.Add(layout =>
        {
            layout.Y -= size * 0.6;
            layout.Page.AddText(text, size, new PdfPoint(Left, layout.Y), layout.Bold);
            layout.Y -= size * 1.6;
        });
        return this;
    }

    public TestPdfBuilder Paragraph(params string[] lines)
    {
        _steps.Add(layout =>
        {
            foreach (var line in lines)
            {
                layout.Page.AddText(line, BodySize, new PdfPoint(Left, layout.Y), layout.Regular);
                layout.Y -= BodyLeading;
            }

            layout.Y -= BodyLeading;
        });
        return this;
    }

    public TestPdfBuilder NewPage()
    {
        _steps.Add(layout =>
        {
            layout.Page = layout.Writer.AddPage(PdfPageSize.A4);
            layout.Y = Top;
        });
        return this;
    }

    public TestPdfBuilder Image()
    {
        _steps.Add(layout => layout.Page.AddPng(Convert.FromBase64String(OnePixelPng), new PdfRectangle(Left, 400, 500, 780)));
        return this;
    }

    public byte[] Build()
    {
        using var writer = new PdfDocumentBuilder();
        writer.DocumentInformation.Title = _title;
        writer.DocumentInformation.Keywords = _keywords;
        var layout = new Layout(writer);
        foreach (var step in _steps)
        {
            step(layout);
        }

        return writer.Build();
    }

    /// <summary>
    /// A PDF whose standard security handler wants a user password that is not empty. The /O and /U hashes match no
    /// password at all, which is all a reader can tell of a real one without knowing it.
    /// </summary>
    public static byte[] EncryptedWithUnknownPassword()
    {
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            "<< /Length 0 >>\nstream\n\nendstream",
            $"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <{new string('A', 64)}> /U <{new string('B', 64)}> >>",
        ];

        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var crossReferenceOffset = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }

        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R /Encrypt 5 0 R ");
        pdf.Append("/ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>] >>\n");
        pdf.Append(CultureInfo.InvariantCulture, $"startxref\n{crossReferenceOffset}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private sealed class Layout(PdfDocumentBuilder writer)
    {
        public PdfDocumentBuilder Writer { get; } = writer;

        public PdfDocumentBuilder.AddedFont Regular { get; } = writer.AddStandard14Font(Standard14Font.Helvetica);

        public PdfDocumentBuilder.AddedFont Bold { get; } = writer.AddStandard14Font(Standard14Font.HelveticaBold);

        public PdfPageBuilder Page { get; set; } = writer.AddPage(PdfPageSize.A4);

        public double Y { get; set; } = Top;
    }
}
