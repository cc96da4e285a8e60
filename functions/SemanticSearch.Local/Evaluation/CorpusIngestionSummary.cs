namespace SemanticSearch.Local.Evaluation;

/// <summary>What bringing the index in line with a corpus did, and how long it took.</summary>
public sealed record CorpusIngestionSummary(
    int Documents,
    int Indexed,
    int Unchanged,
    int Failed,
    int Deleted,
    int Chunks,
    int EmbeddingsComputed,
    int EmbeddingsReused,
    TimeSpan PreEmbedding,
    TimeSpan Elapsed);
