using Azure;
using Azure.Core;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.AzureAISearch;

/// <summary>
/// The search index in Azure AI Search: BM25 over the chunk text, HNSW over the vectors, and hybrid queries fused by
/// the service with reciprocal rank fusion. The encoder identity and the generation live in an
/// <see cref="ISearchIndexStateStore"/> that every instance reads.
/// </summary>
/// <remarks>
/// <para>
/// Azure AI Search has no transactions, so replacing a document cannot be atomic for readers. The order keeps the
/// window small and never empty-handed: upload the new chunks first (readers may briefly see old and new chunks of
/// the document side by side), then delete the stale ones, and bump the generation last, so a cached answer computed
/// during the change is keyed to the old generation and dropped once the change is complete. Indexing is also
/// near-real-time: a chunk becomes searchable about a second after its upload returns.
/// </para>
/// <para>
/// Whole-request failures (429, 503, timeouts) are retried by the SDK pipeline (<see cref="SearchClientOptions.Retry"/>,
/// which honours Retry-After). A 207 answer names the documents that failed one by one: those with 409, 422, 429 or 503
/// are sent again after a growing delay; any other per-document failure (400: malformed document) fails the call (see
/// <see cref="IndexBatchWriter"/>), and the chunks the call had already added are removed again, so a failed document
/// is never left half-replaced.
/// </para>
/// <para>
/// Every chunk carries its document's citation and the fields filters and access trimming read
/// (<see cref="SearchIndexSchema"/>). A re-ingested document's kept chunks (same id, so same text and vector) are
/// merged without text or vector when their metadata changed — told by a hash read back with the chunk ids, since the
/// ACL itself is hidden — and that bumps the generation like any other change, so no cached answer outlives a new ACL.
/// Queries, filters, paging and highlights: <see cref="AzureAISearchQuery"/> and <see cref="HitHighlights"/>.
/// </para>
/// </remarks>
public sealed partial class AzureAISearchIndex : ISearchIndex
{
    private readonly SearchIndexClient _indexClient;
    private readonly SearchClient _searchClient;
    private readonly ISearchIndexStateStore _state;
    private readonly AzureAISearchIndexSettings _settings;
    private readonly ILogger _logger;
    private readonly IndexBatchWriter _writer;
    private int _dimensions;

    public AzureAISearchIndex(SearchIndexClient indexClient, string indexName, ISearchIndexStateStore state, ILogger<AzureAISearchIndex> logger, AzureAISearchIndexSettings? settings = null)
    {
        _indexClient = indexClient ?? throw new ArgumentNullException(nameof(indexClient));
        ArgumentException.ThrowIfNullOrEmpty(indexName);
        IndexName = indexName;
        _searchClient = indexClient.GetSearchClient(indexName);
        _state = state ?? throw new ArgumentNullException(nameof(state));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _settings = settings ?? AzureAISearchIndexSettings.Default;
        _writer = new IndexBatchWriter(_searchClient, indexName, _settings, _logger);
    }

    public string Name => "azure-ai-search";

    public string IndexName { get; }

    /// <summary>
    /// Retries for whole requests: exponential from 0.8 s up to 30 s, five times, honouring the service's Retry-After;
    /// a request that sends nothing back for 30 s is abandoned and retried.
    /// </summary>
    public static SearchClientOptions CreateClientOptions()
    {
        var options = new SearchClientOptions(SearchClientOptions.ServiceVersion.V2023_11_01);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    public async Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var state = await _state.GetOrCreateAsync(encoder, cancellationToken).ConfigureAwait(false);
        var existing = await TryGetIndexAsync(cancellationToken).ConfigureAwait(false);
        var indexedDimensions = existing is null ? null : SearchIndexSchema.VectorDimensions(existing);
        var conflicts = existing is null ? [] : SearchIndexSchema.ConflictingFields(existing, _settings);
        var compatible = existing is null || indexedDimensions == encoder.Dimensions && SearchIndexSchema.HasRequiredFields(existing) && conflicts.Count == 0;

        if (state.VectorSpace != encoder || !compatible)
        {
            var documents = existing is null ? 0 : (await _searchClient.GetDocumentCountAsync(cancellationToken).ConfigureAwait(false)).Value;
            if (documents > 0)
            {
                if (state.VectorSpace == encoder && indexedDimensions == encoder.Dimensions && conflicts.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"Azure AI Search index {IndexName} has fields this version cannot use as they are ({string.Join(", ", conflicts)}), " +
                        "and a field cannot be changed in place. Rebuild into a new index (another Index:AzureAISearch:IndexName).");
                }
                // Vectors of another model (or shape) are in there: refusing is the only safe answer.
                throw new VectorSpaceMismatchException(state.VectorSpace != encoder ? state.VectorSpace : new VectorSpace(state.ModelId, indexedDimensions ?? 0), encoder);
            }
            if (!compatible)
            {
                // An empty index of the wrong shape: a field's dimensions cannot be changed in place, so start over.
                LogRecreating(_logger, IndexName, indexedDimensions ?? 0, encoder.Dimensions);
                await _indexClient.DeleteIndexAsync(IndexName, cancellationToken).ConfigureAwait(false);
                existing = null;
            }
            if (state.VectorSpace != encoder)
            {
                await _state.SetVectorSpaceAsync(encoder, cancellationToken).ConfigureAwait(false);
            }
        }
        if (existing is null)
        {
            await _indexClient.CreateOrUpdateIndexAsync(SearchIndexSchema.Create(IndexName, encoder.Dimensions, _settings), cancellationToken: cancellationToken).ConfigureAwait(false);
            LogCreated(_logger, IndexName, encoder);
        }
        else
        {
            await AddMissingFieldsAsync(existing, cancellationToken).ConfigureAwait(false);
        }
        Volatile.Write(ref _dimensions, encoder.Dimensions);
    }

    /// <summary>
    /// Adds the metadata fields an index created by an earlier version lacks, in place: the service allows adding
    /// fields to an existing index (never changing one), so the definition read is sent back with the new fields
    /// appended, conditional on its ETag. When another instance updated it meanwhile (412), the definition is read
    /// again and the check repeated.
    /// </summary>
    private async Task AddMissingFieldsAsync(SearchIndex existing, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var missing = SearchIndexSchema.MissingFields(existing, _settings);
            if (missing.Count == 0)
            {
                return;
            }
            foreach (var field in missing)
            {
                existing.Fields.Add(field);
            }
            try
            {
                await _indexClient.CreateOrUpdateIndexAsync(existing, onlyIfUnchanged: existing.ETag is not null, cancellationToken: cancellationToken).ConfigureAwait(false);
                var added = string.Join(", ", missing.Select(f => f.Name));
                LogFieldsAdded(_logger, IndexName, added);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && attempt < 3)
            {
                existing = await TryGetIndexAsync(cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Azure AI Search index {IndexName} was deleted while its fields were being added.", ex);
            }
        }
    }

    public async Task<long> GetGenerationAsync(CancellationToken cancellationToken) =>
        (await _state.ReadAsync(cancellationToken).ConfigureAwait(false))?.Generation ?? 0;

    public async Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(chunks);
        var dimensions = RequireInitialized();
        foreach (var chunk in chunks)
        {
            if (chunk.DocumentId != documentId)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} belongs to {chunk.DocumentId}, not {documentId}.", nameof(chunks));
            }
            if (chunk.Vector.Length != dimensions)
            {
                throw new ArgumentException($"Chunk {chunk.ChunkId} has {chunk.Vector.Length} dimensions; the index holds {dimensions}.", nameof(chunks));
            }
        }

        var existing = await ListChunksAsync(documentId, cancellationToken).ConfigureAwait(false);
        var wanted = chunks.Select(c => c.ChunkId).ToHashSet(StringComparer.Ordinal);

        var writes = new List<IndexDocumentsAction<SearchChunkDocument>>();
        var addedIds = new List<string>();
        var added = 0;
        var updated = 0;
        foreach (var chunk in chunks)
        {
            if (!existing.TryGetValue(chunk.ChunkId, out var stored))
            {
                writes.Add(IndexDocumentsAction.Upload(SearchChunkDocument.Upload(chunk)));
                addedIds.Add(chunk.ChunkId);
                added++;
            }
            else if (stored.MetadataHash != SearchChunkDocument.MetadataHashOf(chunk))
            {
                // A kept chunk (same text and vector, by construction of its id) whose citation, tags or ACL changed —
                // or that was written before the metadata fields existed: merge everything but the text and vector.
                writes.Add(IndexDocumentsAction.Merge(SearchChunkDocument.Metadata(chunk)));
                updated++;
            }
            else if (stored.Ordinal != chunk.Ordinal)
            {
                // A kept chunk that only moved.
                writes.Add(IndexDocumentsAction.Merge(new SearchChunkDocument { Id = chunk.ChunkId, Ordinal = chunk.Ordinal }));
            }
        }
        var deletes = existing.Keys.Where(id => !wanted.Contains(id))
            .Select(id => IndexDocumentsAction.Delete(new SearchChunkDocument { Id = id }))
            .ToList();

        var written = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await _writer.WriteAsync(writes, cancellationToken, written).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && addedIds.Any(written.Contains))
        {
            await RemovePartialUploadAsync(documentId, [.. addedIds.Where(written.Contains)], ex).ConfigureAwait(false);
            throw;
        }
        await _writer.WriteAsync(deletes, cancellationToken).ConfigureAwait(false);

        // Changed metadata bumps the generation too: a cached answer may hold the old title, or reach a group the ACL
        // no longer names.
        var generation = added > 0 || updated > 0 || deletes.Count > 0
            ? await _state.IncrementGenerationAsync(cancellationToken).ConfigureAwait(false)
            : await GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        return new IndexChange(added, deletes.Count, generation);
    }

    /// <summary>
    /// After an upload failed part-way (a chunk refused for good, or a later batch that kept failing), removes the new
    /// chunks the service had confirmed, so a failed document is not left searchable as a mix of new and old chunks: the document stays as it
    /// was, and its failed status says why. The generation is bumped because the added chunks were visible for a moment.
    /// Best effort: if the clean-up fails too, the next ingestion of the document replaces its chunks anyway.
    /// </summary>
    private async Task RemovePartialUploadAsync(string documentId, IReadOnlyList<string> addedIds, Exception failure)
    {
        try
        {
            await _writer.WriteAsync([.. addedIds.Select(id => IndexDocumentsAction.Delete(new SearchChunkDocument { Id = id }))], CancellationToken.None).ConfigureAwait(false);
            await _state.IncrementGenerationAsync(CancellationToken.None).ConfigureAwait(false);
            LogPartialUploadRemoved(_logger, IndexName, documentId, addedIds.Count, failure.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPartialUploadKept(_logger, ex, IndexName, documentId, addedIds.Count);
        }
    }

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) =>
        ReplaceDocumentAsync(documentId, [], cancellationToken);

    public async Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        // Listed rather than counted: the service's total count is documented as approximate.
        return (await ListChunksAsync(documentId, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <remarks>
    /// A facet over <c>documentId</c>, capped at <see cref="AzureAISearchIndexSettings.MaxListedDocuments"/> buckets:
    /// past the cap documents would go unlisted. Issue 14 proposes enumerating the status store instead (the sync
    /// reads every status already); until then the cap bounds the corpus this listing covers.
    /// </remarks>
    public async Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        var options = new SearchOptions { Size = 0, Facets = { $"{SearchChunkDocument.DocumentIdField},count:{_settings.MaxListedDocuments}" } };
        var response = await _searchClient.SearchAsync<SearchChunkDocument>("*", options, cancellationToken).ConfigureAwait(false);
        if (response.Value.Facets is null || !response.Value.Facets.TryGetValue(SearchChunkDocument.DocumentIdField, out var buckets))
        {
            return [];
        }
        return [.. buckets.Select(b => b.Value?.ToString()).OfType<string>().Order(StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Top, 1);
        RequireInitialized();
        if (query.Mode != RetrievalMode.Keyword && query.Vector is null)
        {
            throw new ArgumentException($"A {query.Mode} search needs the query vector.", nameof(query));
        }

        var (text, options) = AzureAISearchQuery.Create(query, _settings);
        if (query.Mode == RetrievalMode.Keyword)
        {
            // Ordered by score then id and paged by the service itself (see AzureAISearchQuery).
            return [.. (await FetchAsync(query, text, options, query.Top, cancellationToken).ConfigureAwait(false)).Select(h => h.Hit)];
        }

        var needed = query.Skip + query.Top;
        var size = AzureAISearchQuery.FetchSize(query);
        for (var widenings = 0; ; widenings++)
        {
            var fetched = await FetchAsync(query, text, options, size, cancellationToken).ConfigureAwait(false);
            // The hit after the page ties with the page's last: more equal scores may lie beyond the window.
            var cutUncertain = fetched.Count == size && fetched[^1].ServiceScore == fetched[needed - 1].ServiceScore;
            if (!cutUncertain || widenings == AzureAISearchQuery.MaxTieWidenings)
            {
                return [.. fetched.Select(h => h.Hit).OrderByDescending(h => h.Score).ThenBy(h => h.ChunkId, StringComparer.Ordinal).Skip(query.Skip).Take(query.Top)];
            }
            size = checked(size * 2);
            AzureAISearchQuery.Widen(options, query.Mode, size);
        }
    }

    /// <summary>Up to <paramref name="size"/> hits in the service's order, each with the score the service gave it.</summary>
    private async Task<List<(SearchHit Hit, double ServiceScore)>> FetchAsync(IndexQuery query, string? text, SearchOptions options, int size, CancellationToken cancellationToken)
    {
        var response = await _searchClient.SearchAsync<SearchChunkDocument>(text, options, cancellationToken).ConfigureAwait(false);
        var hits = new List<(SearchHit, double)>(Math.Min(size, 1000));
        await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
        {
            var document = result.Document;
            var score = result.Score ?? 0;
            var content = document.Content ?? string.Empty;
            // A pure vector query sends the service no text to highlight with: the query's words are matched here.
            IReadOnlyList<string> highlights = query.Mode == RetrievalMode.Vector
                ? HitHighlights.Local(query.Text, content)
                : HitHighlights.FromService(result.Highlights is { } marked && marked.TryGetValue(SearchChunkDocument.ContentField, out var fragments) ? fragments : null);
            hits.Add((new SearchHit(
                document.DocumentId ?? string.Empty,
                document.Id,
                content,
                query.Mode == RetrievalMode.Vector ? AzureAISearchQuery.CosineFromScore(score) : score)
            {
                Document = document.ToMetadata(),
                Headings = document.Headings ?? [],
                Page = document.Page,
                Highlights = highlights,
            }, score));
            if (hits.Count == size)
            {
                break;
            }
        }
        return hits;
    }

    /// <summary>The chunks of a document (id, ordinal, metadata hash), paged in key order.</summary>
    private async Task<Dictionary<string, SearchChunkDocument>> ListChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, SearchChunkDocument>(StringComparer.Ordinal);
        var filter = AzureAISearchQuery.DocumentFilter(documentId);
        for (var skip = 0; ; skip += _settings.ListPageSize)
        {
            var options = new SearchOptions
            {
                Filter = filter,
                Size = _settings.ListPageSize,
                Skip = skip,
                OrderBy = { SearchChunkDocument.IdField },
                Select = { SearchChunkDocument.IdField, SearchChunkDocument.OrdinalField, SearchChunkDocument.MetadataHashField },
            };
            var response = await _searchClient.SearchAsync<SearchChunkDocument>("*", options, cancellationToken).ConfigureAwait(false);
            var page = 0;
            await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
            {
                chunks[result.Document.Id] = result.Document;
                if (++page == _settings.ListPageSize)
                {
                    break;
                }
            }
            if (page < _settings.ListPageSize)
            {
                return chunks;
            }
        }
    }

    private async Task<SearchIndex?> TryGetIndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _indexClient.GetIndexAsync(IndexName, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private int RequireInitialized()
    {
        var dimensions = Volatile.Read(ref _dimensions);
        return dimensions > 0 ? dimensions : throw new InvalidOperationException("The index is not initialized: call InitializeAsync with the encoder identity first.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created Azure AI Search index {IndexName} for {Encoder}")]
    private static partial void LogCreated(ILogger logger, string indexName, VectorSpace encoder);

    [LoggerMessage(Level = LogLevel.Information, Message = "Added fields {Fields} to Azure AI Search index {IndexName}; chunks written earlier hold none until their document is ingested again")]
    private static partial void LogFieldsAdded(ILogger logger, string indexName, string fields);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure AI Search index {IndexName}: uploading {DocumentId} failed ({Error}); removed the {Count} chunks it had added")]
    private static partial void LogPartialUploadRemoved(ILogger logger, string indexName, string documentId, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Azure AI Search index {IndexName}: uploading {DocumentId} failed and {Count} chunks it added could not be removed; its next ingestion replaces them")]
    private static partial void LogPartialUploadKept(ILogger logger, Exception exception, string indexName, string documentId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure AI Search index {IndexName} is empty but sized for {Old} dimensions; recreating it for {New}")]
    private static partial void LogRecreating(ILogger logger, string indexName, int old, int @new);
}
