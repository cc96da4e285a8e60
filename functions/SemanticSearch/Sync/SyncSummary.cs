using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>What one pass of <see cref="DocumentSync"/> did.</summary>
/// <param name="Source">The source's description.</param>
/// <param name="Results">One per document ingested or removed; documents left alone are only counted.</param>
/// <param name="Listed">The source's listing the pass worked from (a poller can start from it).</param>
/// <param name="UpToDate">Documents whose status was already current, so they were not even read.</param>
/// <param name="Errors">Documents whose ingestion or removal failed for a reason worth retrying; the next pass tries them again.</param>
public sealed record SyncSummary(
    string Source,
    IReadOnlyList<IngestionResult> Results,
    IReadOnlyDictionary<string, SourceDocument> Listed,
    int UpToDate,
    int Errors,
    TimeSpan Elapsed)
{
    public int Count(IngestionOutcome outcome) => Results.Count(r => r.Outcome == outcome);

    /// <summary>Chunks of the documents this pass indexed or found unchanged.</summary>
    public int Chunks => Results.Where(r => r.Outcome is IngestionOutcome.Indexed or IngestionOutcome.Unchanged).Sum(r => r.Chunks);

    public int EmbeddingsComputed => Results.Sum(r => r.EmbeddingsComputed);

    public int EmbeddingsReused => Results.Sum(r => r.EmbeddingsReused);
}
