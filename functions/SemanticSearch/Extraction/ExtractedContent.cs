namespace SemanticSearch.Extraction;

/// <summary>What one extractor read from a file: its blocks in order, and what the file says about itself.</summary>
public sealed record ExtractedContent(IReadOnlyList<DocumentBlock> Blocks)
{
    public DocumentProperties Properties { get; init; } = DocumentProperties.None;
}
