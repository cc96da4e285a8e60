using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.Search;
using Lucene.Net.Util;
using SemanticSearch.Indexing;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The search's filters and the caller's access as one Lucene filter, applied inside retrieval to the keyword and the
/// vector candidates alike. Every value becomes an exact term (or a numeric range), never query syntax, so no value
/// — quotes, <c>*</c>, <c>OR</c>, <c>:</c> — can widen what matches.
/// </summary>
internal static class ChunkFilter
{
    /// <summary>Every condition must hold; access is always trimmed (an anonymous caller sees documents without an ACL).</summary>
    public static Filter Create(SearchFilters filters, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(caller);
        var all = new BooleanFilter();
        foreach (var tag in filters.Tags.Select(ChunkFields.NormalizeTag).Distinct(StringComparer.Ordinal))
        {
            all.Add(Term(ChunkFields.Tag, tag), Occur.MUST);
        }
        if (filters.Folder is { } folder)
        {
            // "a/b/" and "/a/b" name the folder "a/b"; the folder terms of a chunk are its enclosing folders.
            all.Add(Term(ChunkFields.Folder, folder.Trim('/')), Occur.MUST);
        }
        if (filters.Type is { } type)
        {
            all.Add(Term(ChunkFields.Type, type.TrimStart('.').ToLowerInvariant()), Occur.MUST);
        }
        if (filters.ModifiedAfter is not null || filters.ModifiedBefore is not null)
        {
            // A document without a modification time has no value in the field, so no range matches it.
            all.Add(NumericRangeFilter.NewInt64Range(
                ChunkFields.ModifiedAt,
                filters.ModifiedAfter?.UtcTicks,
                filters.ModifiedBefore?.UtcTicks,
                minInclusive: true,
                maxInclusive: false), Occur.MUST);
        }

        var visible = new BooleanFilter { { Term(ChunkFields.Public, ChunkFields.PublicValue), Occur.SHOULD } };
        if (caller.Groups.Count > 0)
        {
            visible.Add(new TermsFilter(ChunkFields.Group, [.. caller.Groups.Select(g => new BytesRef(g))]), Occur.SHOULD);
        }
        all.Add(visible, Occur.MUST);
        return all;
    }

    private static TermFilter Term(string field, string value) => new(new Term(field, value));
}
