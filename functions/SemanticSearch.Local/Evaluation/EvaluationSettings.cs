using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Evaluation;

/// <summary>The settings a score depends on, recorded with it so every number in the docs can be traced and redone.</summary>
public sealed record EvaluationSettings(
    [property: JsonPropertyName("top")] int Top,
    [property: JsonPropertyName("chunksPerQuery")] int ChunksPerQuery,
    [property: JsonPropertyName("chunkMaxTokens")] int ChunkMaxTokens,
    [property: JsonPropertyName("chunkOverlapTokens")] int ChunkOverlapTokens,
    [property: JsonPropertyName("candidateDepth")] int CandidateDepth,
    [property: JsonPropertyName("rrfK")] int RrfK,
    [property: JsonPropertyName("keywordWeight")] double KeywordWeight,
    [property: JsonPropertyName("vectorWeight")] double VectorWeight,
    [property: JsonPropertyName("encoder")] string Encoder);
