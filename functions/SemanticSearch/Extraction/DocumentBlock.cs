namespace SemanticSearch.Extraction;

/// <summary>
/// One structural unit of extracted text: a heading (with its level, 1 = top), a paragraph, a list item… and, for
/// paged formats (PDF), the 1-based page it is on; a page break is a chunk boundary, so a chunk's page is exact.
/// </summary>
public sealed record DocumentBlock(BlockKind Kind, string Text, int Level = 0, int? Page = null);
