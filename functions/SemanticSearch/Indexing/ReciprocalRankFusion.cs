namespace SemanticSearch.Indexing;

/// <summary>
/// Reciprocal rank fusion (Cormack et al., 2009), the fusion Azure AI Search uses for hybrid queries: each list
/// contributes 1 / (k + rank) for every item it ranks (rank from 1). Scores of different scales (BM25, cosine) never
/// need to be compared, only ranks.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The constant from the paper and from Azure AI Search.</summary>
    public const int DefaultK = 60;

    /// <param name="weights">
    /// Optional weight of each ranking (weighted RRF, as Azure AI Search's per-query weights): a list's contribution is
    /// multiplied by its weight. Null gives every list weight 1.
    /// </param>
    public static IReadOnlyList<(TKey Key, double Score)> Fuse<TKey>(IEnumerable<IReadOnlyList<TKey>> rankings, int k = DefaultK, IReadOnlyList<double>? weights = null)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var scores = new Dictionary<TKey, double>();
        var firstSeen = new Dictionary<TKey, int>();
        var list = 0;
        foreach (var ranking in rankings)
        {
            var weight = weights is null ? 1.0 : weights[list];
            list++;
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var key = ranking[rank];
                scores[key] = scores.GetValueOrDefault(key) + weight / (k + rank + 1);
                firstSeen.TryAdd(key, firstSeen.Count);
            }
        }
        // Ties keep the order in which the lists first named the items, so results are deterministic.
        return [.. scores.OrderByDescending(p => p.Value).ThenBy(p => firstSeen[p.Key]).Select(p => (p.Key, p.Value))];
    }
}
