using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>
/// A document's bytes as a source opened them, with what the source says of exactly these bytes (version, metadata):
/// read together, so the metadata recorded always belongs to the text indexed.
/// </summary>
public sealed class SourceContent(SourceDocument document, Stream content) : IAsyncDisposable
{
    public SourceDocument Document => document;

    public Stream Content => content;

    public ValueTask DisposeAsync() => content.DisposeAsync();
}
