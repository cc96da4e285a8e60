using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Models;
using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;
using SearchMode = SemanticSearch.Indexing.SearchMode;

namespace SemanticSearch.Azure.Search;

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
/// which honours Retry-After). A 207 answer names the documents that failed one by one: those with 409, 422 or 503 are
/// sent again after a growing delay; any other per-document failure (400: malformed document) fails the call.
/// </para>
/// </remarks>
public sealed partial class AzureAISearchIndex : ISearchIndex
{
    private static readonly int[] RetriableItemStatuses = [409, 422, 503];

    private readonly SearchIndexClient _indexClient;
    private readonly SearchClient _searchClient;
    private readonly ISearchIndexStateStore _state;
    private readonly AzureAISearchIndexSettings _settings;
    private readonly ILogger _logger;
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
        options.Retry.Mode = global::Azure.Core.RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromSeconds(0.8);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        return options;
    }

    public async Task InitializeAsync(EncoderIdentity encoder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var state = await _state.GetOrCreateAsync(encoder, cancellationToken).ConfigureAwait(false);
        var existing = await TryGetIndexAsync(cancellationToken).ConfigureAwait(false);
        var indexedDimensions = existing is null ? null : SearchIndexSchema.VectorDimensions(existing);
        var compatible = existing is null || indexedDimensions == encoder.Dimensions && SearchIndexSchema.HasRequiredFields(existing);

        if (state.Encoder != encoder || !compatible)
        {
            var documents = existing is null ? 0 : (await _searchClient.GetDocumentCountAsync(cancellationToken).ConfigureAwait(false)).Value;
            if (documents > 0)
            {
                // Vectors of another model (or shape) are in there: refusing is the only safe answer.
                throw new EncoderMismatchException(state.Encoder != encoder ? state.Encoder : new EncoderIdentity(state.ModelId, indexedDimensions ?? 0), encoder);
            }
            if (!compatible)
            {
                // An empty index of the wrong shape: a field's dimensions cannot be changed in place, so start over.
                LogRecreating(_logger, IndexName, indexedDimensions ?? 0, encoder.Dimensions);
                await _indexClient.DeleteIndexAsync(IndexName, cancellationToken).ConfigureAwait(false);
                existing = null;
            }
            if (state.Encoder != encoder)
            {
                await _state.SetEncoderAsync(encoder, cancellationToken).ConfigureAwait(false);
            }
        }
        if (existing is null)
        {
            await _indexClient.CreateOrUpdateIndexAsync(SearchIndexSchema.Create(IndexName, encoder.Dimensions, _settings), cancellationToken: cancellationToken).ConfigureAwait(false);
            LogCreated(_logger, IndexName, encoder);
        }
        Volatile.Write(ref _dimensions, encoder.Dimensions);
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
        var added = 0;
        foreach (var chunk in chunks)
        {
            if (!existing.TryGetValue(chunk.ChunkId, out var ordinal))
            {
                writes.Add(IndexDocumentsAction.Upload(new SearchChunkDocument
                {
                    Id = chunk.ChunkId,
                    DocumentId = documentId,
                    Ordinal = chunk.Ordinal,
                    Content = chunk.Content,
                    Vector = chunk.Vector.ToArray(),
                }));
                added++;
            }
            else if (ordinal != chunk.Ordinal)
            {
                // A kept chunk only moved: its text and vector are identical by construction of its id.
                writes.Add(IndexDocumentsAction.Merge(new SearchChunkDocument { Id = chunk.ChunkId, Ordinal = chunk.Ordinal }));
            }
        }
        var deletes = existing.Keys.Where(id => !wanted.Contains(id))
            .Select(id => IndexDocumentsAction.Delete(new SearchChunkDocument { Id = id }))
            .ToList();

        await WriteAsync(writes, cancellationToken).ConfigureAwait(false);
        await WriteAsync(deletes, cancellationToken).ConfigureAwait(false);

        var generation = added > 0 || deletes.Count > 0
            ? await _state.IncrementGenerationAsync(cancellationToken).ConfigureAwait(false)
            : await GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        return new IndexChange(added, deletes.Count, generation);
    }

    public Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken) =>
        ReplaceDocumentAsync(documentId, [], cancellationToken);

    public async Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        // Listed rather than counted: the service's total count is documented as approximate.
        return (await ListChunksAsync(documentId, cancellationToken).ConfigureAwait(false)).Count;
    }

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
        if (query.Mode != SearchMode.Keyword && query.Vector is null)
        {
            throw new ArgumentException($"A {query.Mode} search needs the query vector.", nameof(query));
        }

        var options = new SearchOptions
        {
            Size = query.Top,
            QueryType = SearchQueryType.Simple,
            SearchMode = global::Azure.Search.Documents.Models.SearchMode.Any,
            Select = { SearchChunkDocument.IdField, SearchChunkDocument.DocumentIdField, SearchChunkDocument.ContentField },
        };
        string? text = null;
        if (query.Mode != SearchMode.Vector)
        {
            text = EscapeSimpleQuery(query.Text);
        }
        if (query.Mode != SearchMode.Keyword)
        {
            var k = query.Mode == SearchMode.Hybrid ? Math.Max(query.Top, _settings.CandidateDepth) : query.Top;
            options.VectorSearch = new VectorSearchOptions
            {
                Queries = { new VectorizedQuery(query.Vector!.Value) { KNearestNeighborsCount = k, Fields = { SearchChunkDocument.VectorField } } },
            };
        }

        var response = await _searchClient.SearchAsync<SearchChunkDocument>(text, options, cancellationToken).ConfigureAwait(false);
        var hits = new List<SearchHit>(query.Top);
        await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
        {
            var score = result.Score ?? 0;
            hits.Add(new SearchHit(
                result.Document.DocumentId ?? string.Empty,
                result.Document.Id,
                result.Document.Content ?? string.Empty,
                query.Mode == SearchMode.Vector ? CosineFromScore(score) : score));
            if (hits.Count == query.Top)
            {
                break;
            }
        }
        return hits;
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
    public static string DocumentFilter(string documentId) => SearchFilter.Create($"documentId eq {documentId}", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>An upper bound of an action's JSON size, to keep every batch under the request size limit.</summary>
    internal static long EstimateBytes(IndexDocumentsAction<SearchChunkDocument> action)
    {
        var document = action.Document;
        long size = 96 + document.Id.Length;
        size += document.DocumentId is null ? 0 : 20 + JsonEncodedText.Encode(document.DocumentId, JavaScriptEncoder.Default).EncodedUtf8Bytes.Length;
        size += document.Content is null ? 0 : 20 + JsonEncodedText.Encode(document.Content, JavaScriptEncoder.Default).EncodedUtf8Bytes.Length;
        size += document.Ordinal is null ? 0 : 24;
        // The longest float32 in JSON ("-1.2345678E-05") is 14 characters, plus a separator.
        size += document.Vector is null ? 0 : 16 + 16L * document.Vector.Length;
        return size;
    }

    /// <summary>Splits actions into requests within the service's limits of count and size.</summary>
    internal static IEnumerable<List<IndexDocumentsAction<SearchChunkDocument>>> Batch(IReadOnlyList<IndexDocumentsAction<SearchChunkDocument>> actions, AzureAISearchIndexSettings settings)
    {
        var batch = new List<IndexDocumentsAction<SearchChunkDocument>>();
        long bytes = 0;
        foreach (var action in actions)
        {
            var size = EstimateBytes(action);
            if (batch.Count > 0 && (batch.Count >= settings.MaxActionsPerBatch || bytes + size > settings.MaxBytesPerBatch))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(action);
            bytes += size;
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private async Task WriteAsync(IReadOnlyList<IndexDocumentsAction<SearchChunkDocument>> actions, CancellationToken cancellationToken)
    {
        foreach (var batch in Batch(actions, _settings))
        {
            await WriteBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteBatchAsync(List<IndexDocumentsAction<SearchChunkDocument>> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        for (var attempt = 0; ; attempt++)
        {
            var response = await _searchClient.IndexDocumentsAsync(
                IndexDocumentsBatch.Create([.. pending]), new IndexDocumentsOptions { ThrowOnAnyError = false }, cancellationToken).ConfigureAwait(false);
            var failed = response.Value.Results.Where(r => !r.Succeeded).ToList();
            if (failed.Count == 0)
            {
                return;
            }
            var fatal = failed.Where(r => !RetriableItemStatuses.Contains(r.Status)).ToList();
            if (fatal.Count > 0 || attempt >= _settings.MaxItemRetries)
            {
                var reported = fatal.Count > 0 ? fatal : failed;
                throw new AzureAISearchIndexingException(
                    $"Azure AI Search index {IndexName} rejected {reported.Count} of {pending.Count} documents" +
                    (fatal.Count > 0 ? "" : $" after {attempt + 1} attempts") + ": " +
                    string.Join("; ", reported.Take(5).Select(r => $"{r.Key}: {r.Status} {r.ErrorMessage}")),
                    reported.Select(r => (r.Key, r.Status, (string?)r.ErrorMessage)).ToList());
            }
            var retry = failed.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            pending = [.. pending.Where(a => retry.Contains(a.Document.Id))];
            var delay = _settings.ItemRetryDelay * Math.Pow(2, attempt);
            LogItemRetry(_logger, IndexName, pending.Count, failed[0].Status, delay.TotalMilliseconds);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The chunk ids of a document with their ordinals, paged in key order.</summary>
    private async Task<Dictionary<string, int>> ListChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<string, int>(StringComparer.Ordinal);
        var filter = DocumentFilter(documentId);
        for (var skip = 0; ; skip += _settings.ListPageSize)
        {
            var options = new SearchOptions
            {
                Filter = filter,
                Size = _settings.ListPageSize,
                Skip = skip,
                OrderBy = { SearchChunkDocument.IdField },
                Select = { SearchChunkDocument.IdField, SearchChunkDocument.OrdinalField },
            };
            var response = await _searchClient.SearchAsync<SearchChunkDocument>("*", options, cancellationToken).ConfigureAwait(false);
            var page = 0;
            await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
            {
                chunks[result.Document.Id] = result.Document.Ordinal ?? 0;
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

    private async Task<global::Azure.Search.Documents.Indexes.Models.SearchIndex?> TryGetIndexAsync(CancellationToken cancellationToken)
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
    private static partial void LogCreated(ILogger logger, string indexName, EncoderIdentity encoder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure AI Search index {IndexName} is empty but sized for {Old} dimensions; recreating it for {New}")]
    private static partial void LogRecreating(ILogger logger, string indexName, int old, int @new);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Azure AI Search index {IndexName}: retrying {Count} documents that failed with {Status}, in {DelayMs} ms")]
    private static partial void LogItemRetry(ILogger logger, string indexName, int count, int status, double delayMs);
}
