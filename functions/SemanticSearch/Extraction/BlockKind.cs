namespace SemanticSearch.Extraction;

/// <summary>The structural role of a block of text; the chunker starts new chunks at headings and never merges across them needlessly.</summary>
public enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    Code,
    TableRow,
}
