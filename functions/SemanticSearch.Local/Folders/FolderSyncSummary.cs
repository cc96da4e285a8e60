using SemanticSearch.Ingestion;

namespace SemanticSearch.Local.Folders;

/// <summary>Totals of one pass over a folder.</summary>
public sealed record FolderSyncSummary(IReadOnlyList<IngestionResult> Results, TimeSpan Elapsed)
{
    public int Count(IngestionOutcome outcome) => Results.Count(r => r.Outcome == outcome);

    public int Chunks => Results.Where(r => r.Outcome is IngestionOutcome.Indexed or IngestionOutcome.Unchanged).Sum(r => r.Chunks);

    public int EmbeddingsComputed => Results.Sum(r => r.EmbeddingsComputed);

    public int EmbeddingsReused => Results.Sum(r => r.EmbeddingsReused);
}
