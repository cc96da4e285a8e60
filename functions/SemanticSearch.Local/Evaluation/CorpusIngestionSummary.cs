using System.Text.Json.Serialization;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Evaluation;

/// <summary>What bringing the index in line with a corpus did, and how long it took.</summary>
/// <param name="Unchanged">Documents already indexed from the same bytes (read and recognised, or not even read).</param>
public sealed record CorpusIngestionSummary(
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("indexed")] int Indexed,
    [property: JsonPropertyName("unchanged")] int Unchanged,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("deleted")] int Deleted,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("embeddingsComputed")] int EmbeddingsComputed,
    [property: JsonPropertyName("embeddingsReused")] int EmbeddingsReused,
    [property: JsonIgnore] TimeSpan Elapsed)
{
    [JsonPropertyName("seconds")]
    public double Seconds => Elapsed.TotalSeconds;

    public static CorpusIngestionSummary Skipped(int documents) => new(documents, 0, 0, 0, 0, 0, 0, 0, TimeSpan.Zero);

    public static CorpusIngestionSummary From(SyncSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new(
            summary.Listed.Count,
            summary.Count(IngestionOutcome.Indexed),
            summary.Count(IngestionOutcome.Unchanged) + summary.UpToDate,
            summary.Count(IngestionOutcome.Failed),
            summary.Count(IngestionOutcome.Deleted),
            summary.Chunks,
            summary.EmbeddingsComputed,
            summary.EmbeddingsReused,
            summary.Elapsed);
    }
}
