using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Extraction;

/// <summary>
/// Word documents through the Open XML SDK: heading and title styles become headings with their level, numbered and
/// bulleted paragraphs list items, and each table row one block. Headers, footers and comments are left out. The core
/// properties' title and keywords are the document's title and tags.
/// </summary>
public sealed class DocxExtractor : ITextExtractor
{
    // Word's XML is verbose, but not this verbose: a part larger than this many characters per allowed character of
    // text is a decompression bomb, and is refused before it is loaded into memory.
    private const long XmlCharactersPerTextCharacter = 32;
    private const long MinXmlCharactersPerPart = 1_000_000;

    private static readonly byte[] OleCompoundFileSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly long _maxXmlCharactersPerPart;

    public DocxExtractor(IOptions<IngestionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _maxXmlCharactersPerPart = Math.Max(MinXmlCharactersPerPart, options.Value.MaxExtractedCharacters * XmlCharactersPerTextCharacter);
    }

    public IReadOnlyCollection<string> Extensions { get; } = [".docx"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        RejectIfEncrypted(content);
        try
        {
            var settings = new OpenSettings { MaxCharactersInPart = _maxXmlCharactersPerPart };
            using var document = WordprocessingDocument.Open(content, isEditable: false, settings);
            var body = document.MainDocumentPart?.Document?.Body
                ?? throw new DocumentRejectedException(RejectionReason.Corrupt, "The .docx package has no main document.");
            var styles = new DocxStyleCatalog(document.MainDocumentPart.StyleDefinitionsPart);
            var blocks = new List<DocumentBlock>();
            AddBlocks(body, styles, blocks, cancellationToken);
            return new ExtractedContent(blocks) { Properties = CoreProperties(document) };
        }
        catch (XmlException ex) when (ex.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal))
        {
            throw new DocumentRejectedException(
                RejectionReason.TooLarge,
                string.Create(CultureInfo.InvariantCulture, $"A part of the .docx expands to more than {_maxXmlCharactersPerPart} characters of XML."),
                ex);
        }
        catch (Exception ex) when (ex is FileFormatException or InvalidDataException or OpenXmlPackageException or XmlException)
        {
            throw new DocumentRejectedException(RejectionReason.Corrupt, $"The file is not a readable .docx package: {ex.Message}", ex);
        }
    }

    /// <summary>File › Info › Properties: the title, and the keywords (Word separates them with ';', people with ',') as tags.</summary>
    private static DocumentProperties CoreProperties(WordprocessingDocument document)
    {
        try
        {
            var properties = document.PackageProperties;
            return new DocumentProperties(properties.Title, [.. MetadataValues.SplitTags(properties.Keywords)], []);
        }
        catch (Exception ex) when (ex is XmlException or InvalidDataException or FileFormatException or OpenXmlPackageException or InvalidOperationException)
        {
            // A damaged core properties part costs the title and tags, not the text.
            return DocumentProperties.None;
        }
    }

    private static void RejectIfEncrypted(Stream content)
    {
        Span<byte> header = stackalloc byte[OleCompoundFileSignature.Length];
        var start = content.Position;
        var read = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        content.Position = start;

        // Word saves a password-protected document as an OLE compound file wrapping the encrypted zip package.
        if (read == header.Length && header.SequenceEqual(OleCompoundFileSignature))
        {
            throw new DocumentRejectedException(
                RejectionReason.Encrypted,
                "The .docx is an OLE compound file rather than a zip package: it is password-protected (or an old .doc renamed to .docx).");
        }
    }

    private static void AddBlocks(OpenXmlElement container, DocxStyleCatalog styles, List<DocumentBlock> blocks, CancellationToken cancellationToken)
    {
        foreach (var element in container.ChildElements)
        {
            switch (element)
            {
                case Paragraph paragraph:
                    blocks.Add(ToBlock(paragraph, styles));
                    break;
                case Table table:
                    cancellationToken.ThrowIfCancellationRequested();
                    AddTableRows(table, blocks);
                    break;
                case SectionProperties or SdtProperties or SdtEndCharProperties:
                    break;
                default:
                    // Content controls, custom XML and tracked moves wrap ordinary paragraphs and tables.
                    AddBlocks(element, styles, blocks, cancellationToken);
                    break;
            }
        }
    }

    private static DocumentBlock ToBlock(Paragraph paragraph, DocxStyleCatalog styles)
    {
        var text = ParagraphText(paragraph);
        var properties = paragraph.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value;

        var headingLevel = DocxStyleCatalog.LevelFromOutline(properties?.OutlineLevel?.Val?.Value) ?? styles.HeadingLevel(styleId);
        if (headingLevel is { } level)
        {
            return new DocumentBlock(BlockKind.Heading, text, level);
        }

        // numId 0 is Word's way of switching off numbering that the style would add.
        var isListItem = properties?.NumberingProperties?.NumberingId?.Val?.Value is { } numberingId
            ? numberingId > 0
            : styles.IsNumbered(styleId);
        return new DocumentBlock(isListItem ? BlockKind.ListItem : BlockKind.Paragraph, text);
    }

    private static void AddTableRows(Table table, List<DocumentBlock> blocks)
    {
        var rows = table.Descendants<TableRow>().Where(row => row.Ancestors<Table>().First() == table);
        foreach (var row in rows)
        {
            var cells = row.Descendants<TableCell>()
                .Where(cell => cell.Ancestors<TableRow>().First() == row)
                .Select(cell => string.Join(' ', cell.Descendants<Paragraph>().Select(ParagraphText)));
            blocks.Add(new DocumentBlock(BlockKind.TableRow, string.Join(" | ", cells)));
        }
    }

    /// <summary>The visible text of a paragraph: deleted revisions and field codes are not part of it.</summary>
    private static string ParagraphText(Paragraph paragraph)
    {
        var text = new StringBuilder();
        foreach (var element in paragraph.Descendants())
        {
            // A text box anchored in this paragraph holds paragraphs of its own (call-outs, captions);
            // running them into this paragraph's sentence would garble both, so they are left out.
            if (element.Ancestors<Paragraph>().First() != paragraph)
            {
                continue;
            }

            switch (element)
            {
                case Text run:
                    text.Append(run.Text);
                    break;
                case TabChar or Break or CarriageReturn:
                    text.Append(' ');
                    break;
                case NoBreakHyphen:
                    text.Append('-');
                    break;
            }
        }

        return text.ToString();
    }
}
