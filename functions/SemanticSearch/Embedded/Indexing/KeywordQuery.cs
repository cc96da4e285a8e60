using System.Globalization;
using System.Text;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Turns free text into an SQLite FTS5 query: every distinct word, quoted (so no user input is ever read as FTS
/// syntax), joined with OR so BM25 ranks documents by how many of the words they hold and how rare those are —
/// the behaviour of Lucene's and Azure AI Search's default "any" mode. Very common English words are dropped: they
/// add nothing to BM25 but cost a scan of most of the index.
/// </summary>
internal static class KeywordQuery
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
        "will", "with", "what", "which", "who", "how", "does", "do", "can", "from", "has", "have", "its",
    };

    /// <summary>The FTS5 MATCH expression, or null when the text holds no searchable word.</summary>
    public static string? ToMatchExpression(string text)
    {
        var words = Words(text).ToList();
        var kept = words.Where(w => !StopWords.Contains(w)).Distinct(StringComparer.Ordinal).ToList();
        // A query made only of stop words ("to be or not to be") still deserves an answer.
        if (kept.Count == 0)
        {
            kept = [.. words.Distinct(StringComparer.Ordinal)];
        }
        return kept.Count == 0 ? null : string.Join(" OR ", kept.Select(w => $"\"{w.Replace("\"", "\"\"", StringComparison.Ordinal)}\""));
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
        if (word.Length > 0)
        {
            yield return word.ToString();
        }
    }
}
