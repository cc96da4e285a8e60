using SemanticSearch.Sync;

namespace SemanticSearch.Ingestion;

/// <summary>
/// One document of a batch for <see cref="DocumentIngestor.IngestManyAsync"/>: what the listing said of it, and how to
/// open its bytes. The content is opened only when its turn comes; <paramref name="Open"/> returns null when the
/// document no longer exists, and the document is then removed.
/// </summary>
public sealed record DocumentToIngest(SourceDocument Source, Func<CancellationToken, Task<SourceContent?>> Open);
