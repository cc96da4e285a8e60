using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Evaluation;

/// <summary>The files evaluated and their sizes after BEIR's filtering (queries with judgements only).</summary>
public sealed record EvaluationDataset(
    [property: JsonPropertyName("corpus")] string Corpus,
    [property: JsonPropertyName("queries")] string Queries,
    [property: JsonPropertyName("qrels")] string Qrels,
    [property: JsonPropertyName("documents")] int Documents,
    [property: JsonPropertyName("evaluatedQueries")] int EvaluatedQueries,
    [property: JsonPropertyName("judgements")] int Judgements);
