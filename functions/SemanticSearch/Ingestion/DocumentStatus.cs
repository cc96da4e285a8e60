namespace SemanticSearch.Ingestion;

/// <summary>The outcome of a document's last ingestion, as <c>GET /api/documents/{id}</c> shows it.</summary>
/// <param name="ContentHash">SHA-256 of the bytes last ingested, so an identical re-upload can be recognised.</param>
/// <param name="PipelineVersion">What extracted, chunked and embedded it; a change means the bytes must be processed again.</param>
public sealed record DocumentStatus(
    string DocumentId,
    DocumentState State,
    int Chunks,
    int EmbeddingsComputed,
    int EmbeddingsReused,
    string? Error,
    DateTimeOffset UpdatedAt,
    string? ContentHash = null,
    string? PipelineVersion = null);
