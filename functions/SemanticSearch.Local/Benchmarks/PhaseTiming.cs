using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>Time spent in one phase of a query or of an ingestion, per item, with its share of the whole.</summary>
public sealed record PhaseTiming(
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("milliseconds")] double Milliseconds,
    [property: JsonPropertyName("share")] double Share);
