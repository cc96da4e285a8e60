using System.Globalization;
using System.Text;
using SemanticSearch.Ingestion;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Exceptions;

namespace SemanticSearch.Extraction;

/// <summary>
/// PDF through PdfPig: words are grouped into text blocks by the Docstrum layout analysis and put in reading order,
/// so each block is a paragraph (or, when its type is clearly larger than the body text, a heading) and carries its
/// 1-based page. The document information's title and keywords are the document's title and tags.
/// </summary>
public sealed class PdfExtractor : ITextExtractor
{
    // A block is a heading when its type is this much larger than the body text and it is short.
    private const double HeadingSizeRatio = 1.15;
    private const int MaxHeadingLines = 3;
    private const int MaxHeadingCharacters = 200;
    private const int MaxHeadingLevel = 6;

    // Acrobat requires the %%EOF marker only somewhere in the last 1024 bytes (PDF Reference 1.7, implementation notes),
    // so writers that append padding after it still produce PDFs that every reader opens.
    private const int EndOfFileMarkerWindow = 1024;
    private static readonly byte[] EndOfFileMarker = "%%EOF"u8.ToArray();

    public IReadOnlyCollection<string> Extensions { get; } = [".pdf"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        RejectIfTruncated(content);
        try
        {
            using var document = PdfDocument.Open(content);
            return new ExtractedContent(ExtractBlocks(document, cancellationToken)) { Properties = Information(document) };
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new DocumentRejectedException(
                RejectionReason.Encrypted,
                "The PDF is password-protected; remove the password and upload it again.",
                ex);
        }
        catch (PdfDocumentFormatException ex)
        {
            throw new DocumentRejectedException(RejectionReason.Corrupt, $"The file is not a readable PDF: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// PdfPig's lenient parser recovers what it can from a file that was cut short, which would index the first part of
    /// an interrupted upload as if it were the whole document; a missing end-of-file marker gives the cut away.
    /// </summary>
    private static void RejectIfTruncated(Stream content)
    {
        var start = content.Position;
        var windowLength = (int)Math.Min(EndOfFileMarkerWindow, content.Length - start);
        var window = new byte[windowLength];
        content.Position = content.Length - windowLength;
        content.ReadExactly(window);
        content.Position = start;

        if (window.AsSpan().IndexOf(EndOfFileMarker) < 0)
        {
            throw new DocumentRejectedException(
                RejectionReason.Corrupt,
                "The PDF has no end-of-file marker: it was cut short (an interrupted upload or copy?) or is not a PDF.");
        }
    }

    /// <summary>The document information dictionary's Title, and its Keywords (',' or ';' separated) as tags.</summary>
    private static DocumentProperties Information(PdfDocument document)
    {
        var information = document.Information;
        return new DocumentProperties(information.Title, [.. MetadataValues.SplitTags(information.Keywords)], []);
    }

    private static List<DocumentBlock> ExtractBlocks(PdfDocument document, CancellationToken cancellationToken)
    {
        var textBlocks = new List<PdfTextBlock>();
        foreach (var page in document.GetPages())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var words = page.GetWords(NearestNeighbourWordExtractor.Instance).ToList();
            if (words.Count == 0)
            {
                continue;
            }

            var blocks = DocstrumBoundingBoxes.Instance.GetBlocks(words);
            foreach (var block in UnsupervisedReadingOrderDetector.Instance.Get(blocks))
            {
                textBlocks.Add(new PdfTextBlock(JoinLines(block), block.TextLines.Count, DominantSize(Letters(block)), page.Number));
            }
        }

        if (textBlocks.Count == 0)
        {
            throw new DocumentRejectedException(
                RejectionReason.Empty,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The PDF has {document.NumberOfPages} page(s) but no text layer (it is probably scanned images); OCR is not supported."));
        }

        return ToDocumentBlocks(textBlocks);
    }

    private static List<DocumentBlock> ToDocumentBlocks(List<PdfTextBlock> textBlocks)
    {
        var bodySize = textBlocks
            .GroupBy(block => block.FontSize)
            .MaxBy(sizeGroup => sizeGroup.Sum(block => block.Text.Length))!
            .Key;

        bool IsHeading(PdfTextBlock block) =>
            block.FontSize >= bodySize * HeadingSizeRatio
            && block.LineCount <= MaxHeadingLines
            && block.Text.Length <= MaxHeadingCharacters;

        // The largest heading type is level 1, the next largest level 2, and so on.
        var headingSizes = textBlocks.Where(IsHeading).Select(block => block.FontSize).Distinct().OrderDescending().ToList();

        return textBlocks
            .Select(block => IsHeading(block)
                ? new DocumentBlock(BlockKind.Heading, block.Text, Math.Min(headingSizes.IndexOf(block.FontSize) + 1, MaxHeadingLevel), block.Page)
                : new DocumentBlock(BlockKind.Paragraph, block.Text, Page: block.Page))
            .ToList();
    }

    private static string JoinLines(TextBlock block)
    {
        var text = new StringBuilder();
        foreach (var line in block.TextLines)
        {
            var lineText = line.Text.Trim();
            // A line ending in a hyphen continues its word on the next line ("well-" + "known"): no space between.
            var continuesWord = text.Length > 0 && text[^1] == '-' && lineText.Length > 0 && char.IsLower(lineText[0]);
            if (text.Length > 0 && !continuesWord)
            {
                text.Append(' ');
            }

            text.Append(lineText);
        }

        return text.ToString();
    }

    private static IEnumerable<Letter> Letters(TextBlock block) =>
        block.TextLines.SelectMany(line => line.Words).SelectMany(word => word.Letters);

    /// <summary>The point size (to the half point) that most of the letters are set in.</summary>
    private static double DominantSize(IEnumerable<Letter> letters) =>
        letters
            .GroupBy(letter => Math.Round(letter.PointSize * 2, MidpointRounding.AwayFromZero) / 2)
            .MaxBy(sizeGroup => sizeGroup.Count())?
            .Key ?? 0;

    private sealed record PdfTextBlock(string Text, int LineCount, double FontSize, int Page);
}
