using System.Collections.Frozen;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace SemanticSearch.Extraction;

/// <summary>
/// Walks an HTML body into blocks: headings, paragraphs, list items, preformatted code and one row per table row.
/// Text that sits directly in a container (a div, a section, a blockquote) becomes a paragraph wherever a block
/// element interrupts it, so pages built from divs keep their paragraphs.
/// </summary>
internal sealed class HtmlBlockReader
{
    private static readonly FrozenSet<string> SkippedElements = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "script", "style", "nav", "noscript", "template", "head", "svg", "canvas", "iframe", "object", "select", "datalist");

    // Elements that end the paragraph before them; everything else (span, a, em, code…) flows into the running text.
    private static readonly FrozenSet<string> BlockElements = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "hr", "legend", "li", "main",
        "menu", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul");

    private readonly List<DocumentBlock> _blocks = [];
    private readonly StringBuilder _runningText = new();
    private readonly CancellationToken _cancellationToken;
    private BlockKind _proseKind = BlockKind.Paragraph;

    private HtmlBlockReader(CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
    }

    public static List<DocumentBlock> Read(IElement root, CancellationToken cancellationToken)
    {
        var reader = new HtmlBlockReader(cancellationToken);
        reader.Walk(root);
        reader.EndParagraph();
        return reader._blocks;
    }

    /// <summary>Blocks of a piece of HTML embedded in another format (a raw HTML block in Markdown).</summary>
    public static List<DocumentBlock> ReadFragment(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        return document.Body is null ? [] : Read(document.Body, CancellationToken.None);
    }

    private void Walk(INode parent)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node is IText text)
            {
                _runningText.Append(text.Data);
            }
            else if (node is IElement element && !IsSkipped(element))
            {
                WalkElement(element);
            }
        }
    }

    private void WalkElement(IElement element)
    {
        switch (element.LocalName)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                EndParagraph();
                _blocks.Add(new DocumentBlock(BlockKind.Heading, FlatText(element), element.LocalName[1] - '0'));
                break;
            case "pre":
                EndParagraph();
                _blocks.Add(new DocumentBlock(BlockKind.Code, element.TextContent));
                break;
            case "table" when element is IHtmlTableElement table:
                EndParagraph();
                AddTableRows(table);
                break;
            case "li":
                EndParagraph();
                var outerKind = _proseKind;
                _proseKind = BlockKind.ListItem;
                Walk(element);
                EndParagraph();
                _proseKind = outerKind;
                break;
            case "br":
                _runningText.Append(' ');
                break;
            case var name when BlockElements.Contains(name):
                EndParagraph();
                Walk(element);
                EndParagraph();
                break;
            default:
                Walk(element);
                break;
        }
    }

    private void AddTableRows(IHtmlTableElement table)
    {
        foreach (var row in table.Rows)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var cells = row.Cells.Where(cell => !IsSkipped(cell)).Select(FlatText);
            _blocks.Add(new DocumentBlock(BlockKind.TableRow, string.Join(" | ", cells)));
        }
    }

    private void EndParagraph()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var text = _runningText.ToString();
        _runningText.Clear();
        if (!string.IsNullOrWhiteSpace(text))
        {
            _blocks.Add(new DocumentBlock(_proseKind, text));
        }
    }

    /// <summary>All the text of an element as one line, with a space where block elements meet.</summary>
    private static string FlatText(IElement element)
    {
        var text = new StringBuilder();
        AppendFlatText(element, text);
        return text.ToString();
    }

    private static void AppendFlatText(INode parent, StringBuilder text)
    {
        foreach (var node in parent.ChildNodes)
        {
            if (node is IText textNode)
            {
                text.Append(textNode.Data);
            }
            else if (node is IElement element && !IsSkipped(element))
            {
                var separate = element.LocalName == "br" || BlockElements.Contains(element.LocalName);
                if (separate)
                {
                    text.Append(' ');
                }

                AppendFlatText(element, text);
                if (separate)
                {
                    text.Append(' ');
                }
            }
        }
    }

    private static bool IsSkipped(IElement element) =>
        SkippedElements.Contains(element.LocalName) || element.HasAttribute("hidden");
}
