using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>How far a sync is: documents done (up-to-date ones count as done at once) of all it has to look at.</summary>
/// <param name="Result">What happened to the document just finished; null for the first report and for skipped removals.</param>
public sealed record SyncProgress(int Completed, int Total, IngestionResult? Result);
