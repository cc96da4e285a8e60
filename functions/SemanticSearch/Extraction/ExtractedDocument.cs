namespace SemanticSearch.Extraction;

/// <summary>The text of a document as an ordered list of structural blocks, ready for the chunker, and what the file says about itself.</summary>
public sealed record ExtractedDocument(string DocumentId, IReadOnlyList<DocumentBlock> Blocks)
{
    public DocumentProperties Properties { get; init; } = DocumentProperties.None;

    public int CharacterCount => Blocks.Sum(b => b.Text.Length);
}
