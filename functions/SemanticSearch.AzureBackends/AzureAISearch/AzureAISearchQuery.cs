using System.Globalization;
using System.Text;
using Azure.Search.Documents;
using Azure.Search.Documents.Models;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// What we send Azure AI Search for a query, and how its answers read back: the user's text as plain escaped terms,
/// the vector query, filters built with <see cref="SearchFilter.Create"/> so no value can change an expression, and
/// vector scores turned back into cosine similarity.
/// </summary>
public static class AzureAISearchQuery
{
    /// <summary>The search text (null for a pure vector query) and the options of one query.</summary>
    public static (string? Text, SearchOptions Options) Create(IndexQuery query, AzureAISearchIndexSettings settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        var options = new SearchOptions
        {
            Size = query.Top,
            QueryType = SearchQueryType.Simple,
            SearchMode = SearchMode.Any,
            Select = { SearchChunkDocument.IdField, SearchChunkDocument.DocumentIdField, SearchChunkDocument.ContentField },
        };
        string? text = null;
        if (query.Mode != RetrievalMode.Vector)
        {
            text = EscapeSimpleQuery(query.Text);
        }
        if (query.Mode != RetrievalMode.Keyword)
        {
            var k = query.Mode == RetrievalMode.Hybrid ? Math.Max(query.Top, settings.CandidateDepth) : query.Top;
            options.VectorSearch = new VectorSearchOptions
            {
                Queries = { new VectorizedQuery(query.Vector!.Value) { KNearestNeighborsCount = k, Fields = { SearchChunkDocument.VectorField } } },
            };
        }
        return (text, options);
    }

    /// <summary>
    /// For the cosine metric the service reports <c>1 / (1 + (1 - cosine))</c>; turning it back gives vector hits the
    /// same meaning as the embedded index's (cosine similarity).
    /// </summary>
    public static double CosineFromScore(double score) => score <= 0 ? -1 : 2 - 1 / score;

    /// <summary>
    /// The user's text as plain terms: every operator character of the simple query syntax is escaped, so
    /// "state-of-the-art" or "C++" never turns into NOT or a required term.
    /// </summary>
    public static string EscapeSimpleQuery(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        const string special = "+-&|!(){}[]^\"~*?:\\/";
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The OData filter selecting one document's chunks. <see cref="SearchFilter.Create"/> quotes the value and
    /// doubles any single quote in it, so no document id can change the expression. (The field name is written into
    /// the format itself: as an argument it would be quoted like a value.)
    /// </summary>
    public static string DocumentFilter(string documentId) => SearchFilter.Create($"documentId eq {documentId}", CultureInfo.InvariantCulture);
}
