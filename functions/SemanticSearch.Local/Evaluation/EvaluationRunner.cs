using System.Diagnostics;
using Microsoft.Extensions.AI;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;

namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// Runs a dataset's queries against the index in one mode and scores the rankings. It calls the index directly, not
/// <see cref="Query.SearchService"/>: the result cache would only hide the ranking's cost, and query embeddings are
/// computed once for all modes, in batches (<see cref="EmbedQueriesAsync"/>).
/// </summary>
public sealed class EvaluationRunner(IEmbeddingGenerator<string, Embedding<float>> generator, ISearchIndex index)
{
    private static readonly EmbeddingGenerationOptions QueryOptions = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Query);

    /// <summary>Every query's embedding, in one batched call through the embedding cache.</summary>
    public async Task<IReadOnlyDictionary<string, ReadOnlyMemory<float>>> EmbedQueriesAsync(IReadOnlyList<BeirQuery> queries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var embeddings = await generator.GenerateAsync(queries.Select(q => q.Text), QueryOptions, cancellationToken).ConfigureAwait(false);
        var vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
        for (var i = 0; i < queries.Count; i++)
        {
            vectors[queries[i].Id] = embeddings[i].Vector;
        }
        return vectors;
    }

    /// <param name="top">Documents ranked per query, and the cut-off k of every metric.</param>
    /// <param name="chunks">Chunks asked of the index per query before they are collapsed to documents.</param>
    public async Task<ModeEvaluation> RunAsync(
        BeirDataset dataset,
        IReadOnlyDictionary<string, ReadOnlyMemory<float>> queryVectors,
        RetrievalMode mode,
        int top,
        int chunks,
        IProgress<int>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(queryVectors);
        double ndcg = 0, recall = 0, mrr = 0;
        var searching = TimeSpan.Zero;
        var done = 0;
        var perQuery = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var query in dataset.Queries)
        {
            ReadOnlyMemory<float>? vector = mode == RetrievalMode.Keyword ? null : queryVectors[query.Id];
            var started = Stopwatch.GetTimestamp();
            var hits = await index.SearchAsync(new IndexQuery(query.Text, vector, mode, Math.Max(chunks, top)), cancellationToken).ConfigureAwait(false);
            searching += Stopwatch.GetElapsedTime(started);

            var ranked = DocumentRanking.Collapse(hits, CorpusDocuments.CorpusIdOf, top);
            var judgements = dataset.Qrels[query.Id];
            var queryNdcg = RetrievalMetrics.NdcgAt(ranked, judgements, top);
            perQuery[query.Id] = queryNdcg;
            ndcg += queryNdcg;
            recall += RetrievalMetrics.RecallAt(ranked, judgements, top);
            mrr += RetrievalMetrics.ReciprocalRankAt(ranked, judgements, top);
            progress?.Report(++done);
        }
        var count = Math.Max(dataset.Queries.Count, 1);
        return new ModeEvaluation(
            mode.ToString().ToLowerInvariant(), top, ndcg / count, recall / count, mrr / count, dataset.Queries.Count,
            searching.TotalSeconds, searching.TotalMilliseconds / count)
        {
            PerQueryNdcg = perQuery,
        };
    }
}
