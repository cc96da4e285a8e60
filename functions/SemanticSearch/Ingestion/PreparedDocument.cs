using SemanticSearch.Chunking;

namespace SemanticSearch.Ingestion;

/// <summary>
/// A document read and chunked, its status <c>pending</c>, waiting for its vectors; or, when <see cref="Result"/> is
/// set, already done with (unchanged, rejected, gone or failed).
/// </summary>
internal sealed record PreparedDocument(DocumentStatus Status, IReadOnlyList<TextChunk> Chunks, long Started)
{
    /// <summary>What every chunk of the document carries into the index (built once per ingestion).</summary>
    public DocumentMetadata Metadata { get; init; } = DocumentMetadata.Minimal(Status.DocumentId);

    public IngestionResult? Result { get; private init; }

    public static PreparedDocument Finished(IngestionResult result) =>
        new(DocumentStatus.Pending(result.DocumentId, default, null, string.Empty, null), [], 0) { Result = result };
}
