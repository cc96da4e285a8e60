using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Evaluation;

/// <summary>What bringing the index in line with a corpus did, and how long it took.</summary>
/// <param name="EmbeddingsComputed">Vectors the encoder computed, whether in a cross-document batch or by the ingestor.</param>
/// <param name="PreEmbedding">Time spent embedding chunks in cross-document batches (part of <paramref name="Elapsed"/>).</param>
public sealed record CorpusIngestionSummary(
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("indexed")] int Indexed,
    [property: JsonPropertyName("unchanged")] int Unchanged,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("deleted")] int Deleted,
    [property: JsonPropertyName("chunks")] int Chunks,
    [property: JsonPropertyName("embeddingsComputed")] int EmbeddingsComputed,
    [property: JsonPropertyName("embeddingsReused")] int EmbeddingsReused,
    [property: JsonIgnore] TimeSpan PreEmbedding,
    [property: JsonIgnore] TimeSpan Elapsed)
{
    [JsonPropertyName("preEmbeddingSeconds")]
    public double PreEmbeddingSeconds => PreEmbedding.TotalSeconds;

    [JsonPropertyName("seconds")]
    public double Seconds => Elapsed.TotalSeconds;
}
