namespace SemanticSearch.Extraction;

/// <summary>One structural unit of extracted text: a heading (with its level, 1 = top), a paragraph, a list item…</summary>
public sealed record DocumentBlock(BlockKind Kind, string Text, int Level = 0);
