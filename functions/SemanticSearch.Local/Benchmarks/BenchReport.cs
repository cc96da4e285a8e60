using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>The JSON that <c>bench</c> writes: every figure with min/median/max over the repeats, and the profiles.</summary>
public sealed record BenchReport(
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("machine")] MachineInfo Machine,
    [property: JsonPropertyName("loadAverageAtEnd")] string LoadAverageAtEnd,
    [property: JsonPropertyName("repeats")] int Repeats,
    [property: JsonPropertyName("corpus")] string Corpus,
    [property: JsonPropertyName("figures")] IReadOnlyList<BenchFigure> Figures,
    [property: JsonPropertyName("scale")] IReadOnlyList<ScalePoint> Scale,
    [property: JsonPropertyName("queryPhases")] IReadOnlyList<PhaseTiming> QueryPhases,
    [property: JsonPropertyName("ingestPhases")] IReadOnlyList<PhaseTiming> IngestPhases,
    [property: JsonPropertyName("coldIngestMsPerDocument")] double ColdIngestMillisecondsPerDocument,
    [property: JsonPropertyName("memory")] MemorySnapshot Memory,
    [property: JsonPropertyName("plot")] string Plot);
