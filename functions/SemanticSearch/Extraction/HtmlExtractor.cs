using AngleSharp.Html.Parser;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Extraction;

/// <summary>
/// HTML through AngleSharp's standards-compliant parser. Scripts, styles, navigation and templates are skipped;
/// the page title stands in as the top heading when the page has no h1 of its own. The &lt;title&gt; is the document's
/// title and <c>&lt;meta name="keywords"&gt;</c> its tags.
/// </summary>
public sealed class HtmlExtractor : ITextExtractor
{
    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
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

        // Keywords only: access is stated in front matter or by the source, not in <meta> tags templates copy from page to page.
        var keywords = document.QuerySelectorAll("meta[name][content]")
            .Where(meta => string.Equals(meta.GetAttribute("name")?.Trim(), "keywords", StringComparison.OrdinalIgnoreCase))
            .SelectMany(meta => MetadataValues.SplitTags(meta.GetAttribute("content")));
        return new ExtractedContent(blocks) { Properties = new DocumentProperties(title, [.. keywords], []) };
    }
}
