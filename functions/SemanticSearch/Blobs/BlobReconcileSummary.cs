using SemanticSearch.Ingestion;

namespace SemanticSearch.Blobs;

/// <summary>What one reconciliation pass did.</summary>
/// <param name="Results">One per blob ingested and per orphan removed; blobs left alone are only counted.</param>
/// <param name="Blobs">The container listing the pass worked from (the local server's poller starts from it).</param>
/// <param name="Untouched">Blobs whose documents were already up to date, so were not even downloaded.</param>
/// <param name="Errors">Blobs or orphans whose ingestion or removal threw; the next pass tries them again.</param>
public sealed record BlobReconcileSummary(
    IReadOnlyList<IngestionResult> Results,
    IReadOnlyDictionary<string, BlobSnapshot> Blobs,
    int Untouched,
    int Errors,
    TimeSpan Elapsed)
{
    public int Count(IngestionOutcome outcome) => Results.Count(r => r.Outcome == outcome);
}
