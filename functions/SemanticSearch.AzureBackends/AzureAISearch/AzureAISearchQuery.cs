using System.Globalization;
using System.Text;
using Azure.Search.Documents;
using Azure.Search.Documents.Models;
using SemanticSearch.Indexing;
using F = SemanticSearch.AzureBackends.AzureAISearch.SearchChunkDocument;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// What we send Azure AI Search for a query, and how its answers read back: the user's text as plain escaped terms
/// over the chunk text only, the vector query, filters built with <see cref="SearchFilter.Create"/> so no value can
/// change an expression, highlights marked with characters no text holds, and vector scores turned back into cosine
/// similarity.
/// </summary>
/// <remarks>
/// <para>
/// Paging (pages of one query must concatenate to its unpaged list, equal scores in chunk id order). Keyword
/// queries ask the service to order by <c>search.score() desc, id asc</c> — that very order — and page with its skip
/// and top: exact, and only <c>top</c> hits travel. Vector and hybrid queries cannot be ordered so (the service
/// documents <c>search.score()</c> ordering for full-text queries only) and the service's order among equal scores is
/// its own, so they fetch every hit up to the end of the page plus one, <c>skip + top + 1</c>: when the extra hit
/// scores lower than the last hit of the page, every hit tied with the page's last is in hand, and ordering them by
/// score then chunk id and slicing gives the exact page; when it ties (common with hybrid scores, which are sums of
/// 1/(60 + rank)), the window is doubled and fetched again, at most <see cref="MaxTieWidenings"/> times. The vector
/// query's k is the window for vector queries; for hybrid queries it is <c>max(skip + top,
/// </c><see cref="AzureAISearchIndexSettings.CandidateDepth"/><c>)</c> and does not grow with the window, since k
/// changes the fused scores: pages of one hybrid query agree exactly while <c>skip + top</c> stays within the depth
/// (50: the first ten pages of five), and deeper pages see the candidates k admits. The cost is transfer: a vector or
/// hybrid page at skip 1000 reads 1,051 hits (text and citation, a few KB each: some MB, two service pages past 1,000)
/// to return 50.
/// </para>
/// </remarks>
public static class AzureAISearchQuery
{
    /// <summary>The fields a hit needs: not the vector, not the ACL.</summary>
    public static readonly IReadOnlyList<string> HitFields =
    [
        F.IdField, F.DocumentIdField, F.ContentField, F.TitleField, F.SourceField, F.UrlField, F.ContentTypeField,
        F.HeadingsField, F.PageField, F.ModifiedAtField, F.TagsField,
    ];

    /// <summary>Delimiters tried for <c>search.in</c>, in order; the first that no group contains is used.</summary>
    private const string Delimiters = "|,;~^\u001f";

    /// <summary>The search text (null for a pure vector query) and the options of one query.</summary>
    public static (string? Text, SearchOptions Options) Create(IndexQuery query, AzureAISearchIndexSettings settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        var fetch = FetchSize(query);
        var options = new SearchOptions
        {
            Size = fetch,
            Skip = query.Mode == RetrievalMode.Keyword && query.Skip > 0 ? query.Skip : null,
            QueryType = SearchQueryType.Simple,
            SearchMode = SearchMode.Any,
            Filter = Filter(query.Filters, query.Caller),
        };
        foreach (var field in HitFields)
        {
            options.Select.Add(field);
        }
        string? text = null;
        if (query.Mode != RetrievalMode.Vector)
        {
            text = EscapeSimpleQuery(query.Text);
            // BM25 over the chunk text only, as the embedded index ranks; the title is searchable but not searched.
            options.SearchFields.Add(F.ContentField);
            options.HighlightFields.Add($"{F.ContentField}-{HitHighlights.MaxFragments}");
            options.HighlightPreTag = HitHighlights.PreTag;
            options.HighlightPostTag = HitHighlights.PostTag;
        }
        if (query.Mode == RetrievalMode.Keyword)
        {
            // Equal BM25 scores in chunk id order, on the service: its skip and top then page exactly.
            options.OrderBy.Add("search.score() desc");
            options.OrderBy.Add($"{F.IdField} asc");
        }
        if (query.Mode != RetrievalMode.Keyword)
        {
            var k = query.Mode == RetrievalMode.Hybrid ? Math.Max(query.Skip + query.Top, settings.CandidateDepth) : fetch;
            options.VectorSearch = new VectorSearchOptions
            {
                Queries = { new VectorizedQuery(query.Vector!.Value) { KNearestNeighborsCount = k, Fields = { F.VectorField } } },
                // The k nearest among the chunks that pass the filter (access included), not the k nearest overall
                // with the non-matching ones then dropped, so a narrow filter still fills the page.
                FilterMode = VectorFilterMode.PreFilter,
            };
        }
        return (text, options);
    }

    /// <summary>Times a vector or hybrid query's window is doubled when equal scores straddle its end.</summary>
    public const int MaxTieWidenings = 2;

    /// <summary>
    /// Hits a query asks for first: the page itself for a keyword query (the service skips), every hit up to the end
    /// of the page plus one for a vector or hybrid query (ordered and sliced here).
    /// </summary>
    public static int FetchSize(IndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Mode == RetrievalMode.Keyword ? query.Top : checked(query.Skip + query.Top + 1);
    }

    /// <summary>Asks for a wider window of a vector or hybrid query: more hits, and for a vector query as many neighbours.</summary>
    public static void Widen(SearchOptions options, RetrievalMode mode, int size)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Size = size;
        if (mode == RetrievalMode.Vector)
        {
            options.VectorSearch.Queries[0].KNearestNeighborsCount = size;
        }
    }

    /// <summary>
    /// The OData filter of a search: what the caller may read, and every filter condition, joined with <c>and</c>.
    /// Each condition is built by <see cref="SearchFilter.Create"/>, which quotes a value and doubles any single quote
    /// in it, so a value stays one literal whatever it holds; conditions are only ever joined, never spliced into.
    /// </summary>
    public static string Filter(SearchFilters filters, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(caller);
        var conditions = new List<string> { AccessFilter(caller) };
        foreach (var tag in filters.Tags)
        {
            conditions.Add(SearchFilter.Create($"tags/any(t: t eq {tag})", CultureInfo.InvariantCulture));
        }
        if (filters.Folder is { } folder)
        {
            conditions.Add(SearchFilter.Create($"folders/any(f: f eq {folder})", CultureInfo.InvariantCulture));
        }
        if (filters.Type is { } type)
        {
            conditions.Add(SearchFilter.Create($"type eq {type}", CultureInfo.InvariantCulture));
        }
        if (filters.ModifiedAfter is { } after)
        {
            conditions.Add(SearchFilter.Create($"modifiedAt ge {after.ToUniversalTime()}", CultureInfo.InvariantCulture));
        }
        if (filters.ModifiedBefore is { } before)
        {
            conditions.Add(SearchFilter.Create($"modifiedAt lt {before.ToUniversalTime()}", CultureInfo.InvariantCulture));
        }
        return string.Join(" and ", conditions);
    }

    /// <summary>
    /// Access trimming: chunks without an ACL, or with one of the caller's groups on it. An anonymous caller gets
    /// only the former. The groups go into one <c>search.in</c> (fast for many values) with a delimiter none of them
    /// contains, so no group can split into two; should every candidate delimiter occur in some group, each group
    /// gets its own <c>eq</c>. A chunk written before <c>aclPublic</c> existed has null there and is shown to no one
    /// until its document is ingested again.
    /// </summary>
    public static string AccessFilter(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        const string everyone = "aclPublic eq true";
        if (caller.IsAnonymous)
        {
            return everyone;
        }
        var delimiter = Delimiters.FirstOrDefault(d => !caller.Groups.Any(g => g.Contains(d, StringComparison.Ordinal)));
        if (delimiter != default)
        {
            var groups = string.Join(delimiter, caller.Groups);
            var delimiters = delimiter.ToString();
            return "(" + everyone + " or " + SearchFilter.Create($"acl/any(g: search.in(g, {groups}, {delimiters}))", CultureInfo.InvariantCulture) + ")";
        }
        var any = string.Join(" or ", caller.Groups.Select(g => SearchFilter.Create($"g eq {g}", CultureInfo.InvariantCulture)));
        return "(" + everyone + " or acl/any(g: " + any + "))";
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
