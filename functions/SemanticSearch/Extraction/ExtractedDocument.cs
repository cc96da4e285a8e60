namespace SemanticSearch.Extraction;

/// <summary>The text of a document as an ordered list of structural blocks, ready for the chunker.</summary>
public sealed record ExtractedDocument(string DocumentId, IReadOnlyList<DocumentBlock> Blocks)
{
    public int CharacterCount => Blocks.Sum(b => b.Text.Length);
}
