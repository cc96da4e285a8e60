using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>
/// What bringing (a stretch of) the index in line with a source takes, decided by <see cref="DocumentSync.Plan"/>: the
/// documents to ingest with the reason why, the known documents the source no longer lists (each removed only once the
/// source confirms it is gone), and how many listed documents are up to date. The in-process sync carries a plan out
/// itself; the Functions app's reconcile fans it out to a queue, one message per document.
/// </summary>
public sealed record SyncPlan(IReadOnlyList<PlannedIngestion> ToIngest, IReadOnlyList<string> ToRemove, int UpToDate);

/// <summary>A listed document that must be (re)ingested, and why.</summary>
public sealed record PlannedIngestion(SourceDocument Document, string Reason);
