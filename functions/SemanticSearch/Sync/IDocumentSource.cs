using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>
/// Where documents come from — a folder, a blob container, a corpus in memory — as <see cref="DocumentSync"/> sees it:
/// a listing cheap enough to run often, and the bytes of one document when they are needed.
/// </summary>
public interface IDocumentSource
{
    /// <summary>What the source is, for logs ("folder /srv/docs", "blob container documents").</summary>
    string Description { get; }

    /// <summary>Every document the source holds now. A source that cannot be listed throws; it never lists nothing instead.</summary>
    IAsyncEnumerable<SourceDocument> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The document's current bytes with what the source says of them (which may be newer than the listing), or null
    /// when the source no longer has it.
    /// </summary>
    Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken);

    /// <summary>What the source says of one document now, or null when it does not have it (watchers and events ask this).</summary>
    Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken);
}
