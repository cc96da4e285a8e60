namespace SemanticSearch.Chunking;

/// <summary>
/// A piece of a document small enough for the encoder. <see cref="Id"/> depends only on the document id and the
/// chunk's normalized text, so unchanged text keeps its id (and its cached embedding) when the document is edited.
/// </summary>
/// <param name="Headings">The headings the chunk sits under, outermost first.</param>
/// <param name="Page">The 1-based PDF page; null for formats without pages.</param>
public sealed record TextChunk(string Id, int Ordinal, string Text, int TokenCount)
{
    public IReadOnlyList<string> Headings { get; init; } = [];

    public int? Page { get; init; }
}
