using AngleSharp.Html.Parser;

namespace SemanticSearch.Extraction;

/// <summary>
/// HTML through AngleSharp's standards-compliant parser. Scripts, styles, navigation and templates are skipped;
/// the page title stands in as the top heading when the page has no h1 of its own.
/// </summary>
public sealed class HtmlExtractor : ITextExtractor
{
    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

    public IReadOnlyList<DocumentBlock> Extract(Stream content, CancellationToken cancellationToken)
    {
        var html = TextDecoder.Decode(content);
        using var document = new HtmlParser().ParseDocument(html);
        var blocks = document.Body is null ? [] : HtmlBlockReader.Read(document.Body, cancellationToken);

        var title = document.Title;
        var hasTopHeading = blocks.Exists(block => block is { Kind: BlockKind.Heading, Level: 1 });
        if (!hasTopHeading && !string.IsNullOrWhiteSpace(title))
        {
            blocks.Insert(0, new DocumentBlock(BlockKind.Heading, title, 1));
        }

        return blocks;
    }
}
