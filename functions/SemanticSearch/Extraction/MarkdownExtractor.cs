using System.Text;
using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Tables;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SemanticSearch.Extraction;

/// <summary>
/// Markdown through Markdig's syntax tree: headings keep their level, list items, code and table rows their kind;
/// inline markup is flattened to its text, so a link keeps its words and loses its URL. YAML front matter is not
/// text: its <c>title</c>, <c>tags</c> and <c>acl</c> become the document's properties (see <see cref="FrontMatter"/>).
/// </summary>
public sealed class MarkdownExtractor : ITextExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        // The advanced set minus abbreviations, whose inlines would hide the words they stand for.
        .UsePipeTables()
        .UseGridTables()
        .UseFootnotes()
        .UseDefinitionLists()
        .UseTaskLists()
        .UseEmphasisExtras()
        .UseMathematics()
        .UseAutoLinks()
        .UseListExtras()
        .UseCustomContainers()
        .UseFigures()
        .UseFooters()
        .UseCitations()
        .UseAlertBlocks()
        .UseYamlFrontMatter()
        .UseGenericAttributes()
        .Build();

    public IReadOnlyCollection<string> Extensions { get; } = [".md", ".markdown"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
    {
        var markdown = TextDecoder.Decode(content);
        var document = Markdown.Parse(markdown, Pipeline);
        var blocks = new List<DocumentBlock>();
        AddBlocks(document, BlockKind.Paragraph, blocks, cancellationToken);
        // Markdig recognises front matter only at the very start, fenced by "---" and "---" (or "..."); its lines are the YAML.
        var frontMatter = document.OfType<YamlFrontMatterBlock>().FirstOrDefault();
        return new ExtractedContent(blocks)
        {
            Properties = frontMatter is null ? DocumentProperties.None : FrontMatter.Read(frontMatter.Lines.ToString()),
        };
    }

    private static void AddBlocks(ContainerBlock container, BlockKind proseKind, List<DocumentBlock> blocks, CancellationToken cancellationToken)
    {
        foreach (var block in container)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (block)
            {
                case YamlFrontMatterBlock:
                    // Metadata (read by Extract for title, tags and acl), not prose.
                    break;
                case HeadingBlock heading:
                    blocks.Add(new DocumentBlock(BlockKind.Heading, InlineText(heading.Inline), heading.Level));
                    break;
                case CodeBlock code:
                    blocks.Add(new DocumentBlock(BlockKind.Code, code.Lines.ToString()));
                    break;
                case HtmlBlock html:
                    blocks.AddRange(HtmlBlockReader.ReadFragment(html.Lines.ToString()));
                    break;
                case LeafBlock leaf when leaf.Inline is not null:
                    blocks.Add(new DocumentBlock(proseKind, InlineText(leaf.Inline)));
                    break;
                case Table table:
                    AddTableRows(table, blocks);
                    break;
                case ListItemBlock item:
                    AddBlocks(item, BlockKind.ListItem, blocks, cancellationToken);
                    break;
                case ContainerBlock nested:
                    AddBlocks(nested, proseKind, blocks, cancellationToken);
                    break;
            }
        }
    }

    private static void AddTableRows(Table table, List<DocumentBlock> blocks)
    {
        foreach (var row in table.OfType<Markdig.Extensions.Tables.TableRow>())
        {
            var cells = row.OfType<TableCell>().Select(CellText);
            blocks.Add(new DocumentBlock(BlockKind.TableRow, string.Join(" | ", cells)));
        }
    }

    private static string CellText(TableCell cell) =>
        string.Join(' ', cell.Descendants<LeafBlock>().Select(leaf => leaf.Inline is null ? leaf.Lines.ToString() : InlineText(leaf.Inline)));

    private static string InlineText(ContainerInline? container)
    {
        var text = new StringBuilder();
        AppendInlineText(container, text);
        return text.ToString();
    }

    private static void AppendInlineText(ContainerInline? container, StringBuilder text)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case MathInline math:
                    text.Append(math.Content.AsSpan());
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case AutolinkInline:
                    // Its only text is the URL itself.
                    break;
                case LinkInline { IsAutoLink: true }:
                    break;
                case ContainerInline nested:
                    AppendInlineText(nested, text);
                    break;
            }
        }
    }
}
