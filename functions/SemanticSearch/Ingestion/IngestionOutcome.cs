namespace SemanticSearch.Ingestion;

public enum IngestionOutcome
{
    /// <summary>Extracted, chunked, embedded and indexed.</summary>
    Indexed,
    /// <summary>The same bytes were already indexed by the same pipeline; nothing was done.</summary>
    Unchanged,
    /// <summary>Rejected (bad input) or failed; nothing of it is searchable. The status says why.</summary>
    Failed,
    /// <summary>Removed from the index and the status store.</summary>
    Deleted,
    /// <summary>
    /// Left alone: a newer version of the document was ingested meanwhile (a late or duplicate event, an overlapping
    /// reconcile), and an older version never overwrites a newer one.
    /// </summary>
    Superseded,
}
