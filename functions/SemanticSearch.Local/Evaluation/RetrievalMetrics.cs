namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// Per-query ranking metrics with the definitions of pytrec_eval (trec_eval), which BEIR reports. A document counts as
/// relevant when its grade is above zero; documents without a judgement have grade zero.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// nDCG@k with linear gain (gain = the relevance grade, not 2^grade − 1, as trec_eval's ndcg_cut) and a log2(rank + 1)
    /// discount; the ideal ranking is every judged document sorted by grade, cut at k. 0 when nothing is relevant.
    /// </summary>
    public static double NdcgAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> judgements, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(judgements);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (judgements.TryGetValue(ranked[i], out var grade) && grade > 0)
            {
                dcg += grade / Math.Log2(i + 2);
            }
        }
        var ideal = 0.0;
        var rank = 0;
        foreach (var grade in judgements.Values.Where(g => g > 0).OrderByDescending(g => g).Take(k))
        {
            ideal += grade / Math.Log2(rank + 2);
            rank++;
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>Recall@k: the share of the relevant documents found in the first k. 0 when nothing is relevant.</summary>
    public static double RecallAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> judgements, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(judgements);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var relevant = judgements.Count(j => j.Value > 0);
        if (relevant == 0)
        {
            return 0;
        }
        var found = ranked.Take(k).Distinct(StringComparer.Ordinal).Count(d => judgements.TryGetValue(d, out var grade) && grade > 0);
        return (double)found / relevant;
    }

    /// <summary>Reciprocal rank of the first relevant document within the first k, else 0 (MRR@k averages it).</summary>
    public static double ReciprocalRankAt(IReadOnlyList<string> ranked, IReadOnlyDictionary<string, int> judgements, int k)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        ArgumentNullException.ThrowIfNull(judgements);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (judgements.TryGetValue(ranked[i], out var grade) && grade > 0)
            {
                return 1.0 / (i + 1);
            }
        }
        return 0;
    }
}
