namespace SemanticSearch.Ingestion;

/// <summary>
/// The outcome of a document's last ingestion, as <c>GET /api/documents/{id}</c> shows it. An attempt starts as
/// <see cref="Pending"/> and moves on with <see cref="ToIndexed"/> or <see cref="ToFailed"/>, which keep what the attempt
/// was about (the bytes, the pipeline, the source version).
/// </summary>
public sealed record DocumentStatus
{
    public required string DocumentId { get; init; }

    public required DocumentState State { get; init; }

    public int Chunks { get; init; }

    public int EmbeddingsComputed { get; init; }

    public int EmbeddingsReused { get; init; }

    /// <summary>Why the document failed (<see cref="IngestionError"/>); null otherwise.</summary>
    public string? Error { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>SHA-256 of the bytes last ingested, so an identical re-upload can be recognised.</summary>
    public string? ContentHash { get; init; }

    /// <summary>What extracted, chunked and embedded it; a change means the bytes must be processed again.</summary>
    public string? PipelineVersion { get; init; }

    /// <summary>
    /// The source's version stamp of the bytes last ingested (a blob's ETag, a file's size and write time), so a sync
    /// can tell an unchanged document without reading it. Null when the source did not say.
    /// </summary>
    public string? SourceVersion { get; init; }

    /// <summary>
    /// When the source last changed the bytes this status is about (a blob's Last-Modified, a file's write time), so
    /// concurrent ingestions of one document can tell which version is newer: an older one never overwrites a newer
    /// one (see <see cref="IsNewerThan"/>). Null when the source did not say, and in statuses written before it was kept.
    /// </summary>
    public DateTimeOffset? SourceModifiedAt { get; init; }

    /// <summary>An attempt under way: a crash leaves this behind, and the next sync repairs it.</summary>
    public static DocumentStatus Pending(string documentId, DateTimeOffset at, string? contentHash, string pipelineVersion, string? sourceVersion, DateTimeOffset? sourceModifiedAt = null) => new()
    {
        DocumentId = documentId,
        State = DocumentState.Pending,
        UpdatedAt = at,
        ContentHash = contentHash,
        PipelineVersion = pipelineVersion,
        SourceVersion = sourceVersion,
        SourceModifiedAt = sourceModifiedAt,
    };

    /// <summary>
    /// Whether this status records a strictly newer version of the source than one modified at
    /// <paramref name="sourceModifiedAt"/>: then work on that older version must leave the document alone. Equal or
    /// unknown times are not ordered (the later write wins, and the next reconcile compares the version stamps).
    /// </summary>
    public bool IsNewerThan(DateTimeOffset? sourceModifiedAt) =>
        SourceModifiedAt is { } recorded && sourceModifiedAt is { } other && recorded > other;

    public DocumentStatus ToIndexed(int chunks, int embeddingsComputed, int embeddingsReused, DateTimeOffset at) => this with
    {
        State = DocumentState.Indexed,
        Chunks = chunks,
        EmbeddingsComputed = embeddingsComputed,
        EmbeddingsReused = embeddingsReused,
        Error = null,
        UpdatedAt = at,
    };

    /// <summary>Failed with <paramref name="error"/> (see <see cref="IngestionError"/>); nothing of the document is searchable.</summary>
    public DocumentStatus ToFailed(string error, DateTimeOffset at) => this with
    {
        State = DocumentState.Failed,
        Chunks = 0,
        EmbeddingsComputed = 0,
        EmbeddingsReused = 0,
        Error = error,
        UpdatedAt = at,
    };
}
