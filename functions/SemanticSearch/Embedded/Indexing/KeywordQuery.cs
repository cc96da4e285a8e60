using Lucene.Net.Index;
using Lucene.Net.Search;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Turns free text into a keyword query without ever parsing it: the text goes through the index's analyzer and every
/// distinct term becomes a <see cref="TermQuery"/>, joined as SHOULD clauses, so BM25 ranks chunks by how many of the
/// words they hold and how rare those are — Lucene's and Azure AI Search's default "any" mode. Very common English words
/// are dropped: they add nothing to BM25 but cost a scan of most of the index. A query of nothing but such words ("to be
/// or not to be") keeps them, and still gets an answer.
/// </summary>
internal sealed class KeywordQuery : IDisposable
{
    /// <summary>BooleanQuery allows 1,024 clauses; a pasted page keeps its first 256 distinct terms.</summary>
    private const int MaxTerms = 256;

    private static readonly string[] StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with", "what", "which", "who", "how", "does", "do", "can", "from", "has", "have", "its",
    ];

    private readonly ChunkAnalyzer _withoutStopWords = new(StopWords);
    private readonly ChunkAnalyzer _everyWord;

    public KeywordQuery(ChunkAnalyzer indexAnalyzer) => _everyWord = indexAnalyzer;

    /// <summary>The distinct index terms of the query text, in the order they first occur.</summary>
    public IReadOnlyList<string> Terms(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = Distinct(_withoutStopWords.Terms(text));
        return terms.Count > 0 ? terms : Distinct(_everyWord.Terms(text));
    }

    /// <summary>The query over <paramref name="terms"/>, or null when there is none.</summary>
    public static Lucene.Net.Search.Query? Create(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0)
        {
            return null;
        }
        // Coordination off: BM25 already rewards holding more of the words, as FTS5's bm25() did.
        var query = new BooleanQuery(disableCoord: true);
        foreach (var term in terms)
        {
            query.Add(new TermQuery(new Term(ChunkFields.Content, term)), Occur.SHOULD);
        }
        return query;
    }

    public void Dispose() => _withoutStopWords.Dispose();

    private static List<string> Distinct(List<(string Term, int Start, int End)> analyzed) =>
        [.. analyzed.Select(t => t.Term).Distinct(StringComparer.Ordinal).Take(MaxTerms)];
}
