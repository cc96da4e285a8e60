using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Evaluation;

/// <summary>The scores of one search mode, averaged over the evaluated queries, and the time its searches took.</summary>
public sealed record ModeEvaluation(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("k")] int K,
    [property: JsonPropertyName("ndcg")] double Ndcg,
    [property: JsonPropertyName("recall")] double Recall,
    [property: JsonPropertyName("mrr")] double Mrr,
    [property: JsonPropertyName("queries")] int Queries,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("msPerQuery")] double MillisecondsPerQuery)
{
    /// <summary>Each query's nDCG@k (query id → score), for paired comparisons of two settings; written on request.</summary>
    [JsonPropertyName("perQueryNdcg")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? PerQueryNdcg { get; init; }
}
