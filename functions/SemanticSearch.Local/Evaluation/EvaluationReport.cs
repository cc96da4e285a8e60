using System.Text.Json.Serialization;
using SemanticSearch.Local.Benchmarks;

namespace SemanticSearch.Local.Evaluation;

/// <summary>The JSON that <c>eval</c> writes: what was measured, on what, with which settings, and the scores.</summary>
public sealed record EvaluationReport(
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("loadAverageAtEnd")] string LoadAverageAtEnd,
    [property: JsonPropertyName("dataset")] EvaluationDataset Dataset,
    [property: JsonPropertyName("settings")] EvaluationSettings Settings,
    [property: JsonPropertyName("ingestion")] CorpusIngestionSummary Ingestion,
    [property: JsonPropertyName("queryEmbeddingSeconds")] double QueryEmbeddingSeconds,
    [property: JsonPropertyName("modes")] IReadOnlyList<ModeEvaluation> Modes);

