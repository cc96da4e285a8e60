namespace SemanticSearch.Ingestion;

/// <summary>What one ingestion run did to one document (the counts are for this run, not the stored status).</summary>
public sealed record IngestionResult(
    string DocumentId,
    IngestionOutcome Outcome,
    int Chunks,
    int EmbeddingsComputed,
    int EmbeddingsReused,
    string? Error,
    TimeSpan Elapsed)
{
    /// <summary>A failure that is not the document's fault (an outage, throttling): the same bytes are worth another try.</summary>
    public bool IsTransientFailure => Outcome == IngestionOutcome.Failed && !IngestionError.IsRejection(Error);
}
