using SemanticSearch.Indexing;

namespace SemanticSearch.Local.Evaluation;

/// <summary>
/// Collapses ranked chunks to ranked documents: a document takes the rank of its best chunk (BEIR's unit is the
/// document, while the index ranks chunks).
/// </summary>
public static class DocumentRanking
{
    public static IReadOnlyList<string> Collapse(IEnumerable<SearchHit> hits, Func<string, string> corpusIdOf, int top)
    {
        ArgumentNullException.ThrowIfNull(hits);
        ArgumentNullException.ThrowIfNull(corpusIdOf);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<string>(top);
        foreach (var hit in hits)
        {
            var id = corpusIdOf(hit.DocumentId);
            if (seen.Add(id))
            {
                documents.Add(id);
                if (documents.Count == top)
                {
                    break;
                }
            }
        }
        return documents;
    }
}
