using System.Globalization;
using Azure.Search.Documents;
using Azure.Search.Documents.Models;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>Which documents the index holds: every id, paged by range so no cap hides any (issue 14, item 6).</summary>
public sealed partial class AzureAISearchIndex
{
    public Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken) =>
        ListDocumentIdsAsync(DocumentIdRange.All, cancellationToken);

    /// <remarks>
    /// Distinct ids by facet over <c>documentId</c>, sorted by value and paged by range: each request asks for the next
    /// <see cref="AzureAISearchIndexSettings.ListedDocumentsPerRequest"/> values after the last one seen
    /// (<c>documentId gt 'last'</c>), so the listing covers every document however many there are, instead of the
    /// first N buckets of one capped facet (past which a reconcile would take documents for lost and ingest them
    /// again on every pass). A page that does not move forward is an error, never a silent end.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ListDocumentIdsAsync(DocumentIdRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        RequireInitialized();
        var ids = new List<string>();
        var after = range.After;
        var perRequest = _settings.ListedDocumentsPerRequest;
        while (true)
        {
            var conditions = new List<string>(2);
            if (after is not null)
            {
                conditions.Add(SearchChunkDocument.DocumentIdField + " gt " + SearchFilter.Create($"{after}", CultureInfo.InvariantCulture));
            }
            if (range.Through is not null)
            {
                conditions.Add(SearchChunkDocument.DocumentIdField + " le " + SearchFilter.Create($"{range.Through}", CultureInfo.InvariantCulture));
            }
            var options = new SearchOptions
            {
                Size = 0,
                Filter = conditions.Count > 0 ? string.Join(" and ", conditions) : null,
                Facets = { $"{SearchChunkDocument.DocumentIdField},count:{perRequest.ToString(CultureInfo.InvariantCulture)},sort:value" },
            };
            var response = await _searchClient.SearchAsync<SearchChunkDocument>("*", options, cancellationToken).ConfigureAwait(false);
            var values = response.Value.Facets is not null && response.Value.Facets.TryGetValue(SearchChunkDocument.DocumentIdField, out var buckets)
                ? buckets.Select(b => b.Value?.ToString()).OfType<string>().ToList()
                : [];
            foreach (var value in values)
            {
                if (after is not null && string.CompareOrdinal(value, after) <= 0)
                {
                    throw new InvalidOperationException($"Listing documents by range did not move forward: '{value}' came after '{after}'.");
                }
                after = value;
            }
            ids.AddRange(values);
            if (values.Count < perRequest)
            {
                return [.. ids.Order(StringComparer.Ordinal)];
            }
        }
    }
}
