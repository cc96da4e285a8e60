using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>One row of the bench table: a named measurement with its unit and its spread over the repeats.</summary>
public sealed record BenchFigure(
    [property: JsonPropertyName("section")] string Section,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("value")] Summary Value);
