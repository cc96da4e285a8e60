namespace SemanticSearch.Chunking;

/// <summary>
/// A piece of a document small enough for the encoder. <see cref="Id"/> depends only on the document id and the
/// chunk's normalized text, so unchanged text keeps its id (and its cached embedding) when the document is edited.
/// </summary>
public sealed record TextChunk(string Id, int Ordinal, string Text, int TokenCount);
