namespace SemanticSearch.Extraction;

/// <summary>Plain text: paragraphs are separated by blank lines; the lines of one paragraph are joined with a space.</summary>
public sealed class PlainTextExtractor : ITextExtractor
{
    public IReadOnlyCollection<string> Extensions { get; } = [".txt", ".text"];

    public ExtractedContent Extract(Stream content, CancellationToken cancellationToken)
    {
        var text = TextDecoder.Decode(content);
        var blocks = new List<DocumentBlock>();
        var paragraph = new List<string>();

        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.IsWhiteSpace())
            {
                AddParagraph(blocks, paragraph);
                cancellationToken.ThrowIfCancellationRequested();
            }
            else
            {
                paragraph.Add(line.Trim().ToString());
            }
        }

        AddParagraph(blocks, paragraph);
        return new ExtractedContent(blocks);
    }

    private static void AddParagraph(List<DocumentBlock> blocks, List<string> lines)
    {
        if (lines.Count > 0)
        {
            blocks.Add(new DocumentBlock(BlockKind.Paragraph, string.Join(' ', lines)));
            lines.Clear();
        }
    }
}
