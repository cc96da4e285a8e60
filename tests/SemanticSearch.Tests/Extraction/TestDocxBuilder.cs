using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace SemanticSearch.Tests.Extraction;

/// <summary>Builds .docx fixtures in memory with the Open XML SDK: styles, numbering, paragraphs and tables.</summary>
internal sealed class TestDocxBuilder
{
    public const int BulletNumberingId = 1;

    private readonly List<Style> _styles = [];
    private readonly List<OpenXmlElement> _body = [];
    private string? _title;
    private string? _keywords;

    /// <summary>The package's core properties (File › Info in Word): Title and Keywords.</summary>
    public TestDocxBuilder CoreProperties(string? title, string? keywords)
    {
        (_title, _keywords) = (title, keywords);
        return this;
    }

    public TestDocxBuilder Style(string id, string name, int? outlineLevel = null, int? numberingId = null, string? basedOn = null)
    {
        var style = new Style { Type = StyleValues.Paragraph, StyleId = id };
        style.Append(new StyleName { Val = name });
        if (basedOn is not null)
        {
            style.Append(new BasedOn { Val = basedOn });
        }

        var properties = new StyleParagraphProperties();
        if (numberingId is { } numbering)
        {
            properties.Append(new NumberingProperties(new NumberingId { Val = numbering }));
        }

        if (outlineLevel is { } outline)
        {
            properties.Append(new OutlineLevel { Val = outline });
        }

        style.Append(properties);
        _styles.Add(style);
        return this;
    }

    public TestDocxBuilder Paragraph(string text, string? styleId = null, int? numberingId = null, int? outlineLevel = null)
    {
        var properties = new ParagraphProperties();
        if (styleId is not null)
        {
            properties.Append(new ParagraphStyleId { Val = styleId });
        }

        if (numberingId is { } numbering)
        {
            properties.Append(new NumberingProperties(new NumberingLevelReference { Val = 0 }, new NumberingId { Val = numbering }));
        }

        if (outlineLevel is { } outline)
        {
            properties.Append(new OutlineLevel { Val = outline });
        }

        return Append(new Paragraph(properties, new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve })));
    }

    public TestDocxBuilder Table(params string[][] rows) =>
        Append(new Table(rows.Select(cells => new TableRow(cells.Select(cell => new TableCell(new Paragraph(new Run(new Text(cell)))))))));

    public TestDocxBuilder Append(OpenXmlElement element)
    {
        _body.Add(element);
        return this;
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            if (_styles.Count > 0)
            {
                main.AddNewPart<StyleDefinitionsPart>().Styles = new Styles(_styles);
            }

            main.AddNewPart<NumberingDefinitionsPart>().Numbering = new Numbering(
                new AbstractNum(new Level(new NumberingFormat { Val = NumberFormatValues.Bullet }, new LevelText { Val = "•" }) { LevelIndex = 0 })
                {
                    AbstractNumberId = 0,
                },
                new NumberingInstance(new AbstractNumId { Val = 0 }) { NumberID = BulletNumberingId });
            main.Document = new Document(new Body(_body));
            if (_title is not null || _keywords is not null)
            {
                document.PackageProperties.Title = _title;
                document.PackageProperties.Keywords = _keywords;
            }
        }

        return stream.ToArray();
    }
}
