using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Models;
using RetrievalMode = SemanticSearch.Indexing.RetrievalMode;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Indexing;

namespace SemanticSearch.AzureBackends.Tests.AzureAISearch;

/// <summary>
/// Azure AI Search has no local server: these tests check the exact requests the index sends through the SDK (via its
/// transport hook) and how it handles every kind of answer, against the REST contract of API version 2023-11-01.
/// </summary>
public sealed partial class AzureAISearchIndexTests : IDisposable
{
    private const int Dimensions = 4;
    private static readonly VectorSpace Encoder = new("test-model", Dimensions);

    private readonly AzureAISearchRestApiFake _service = new();
    private readonly InMemorySearchIndexStateStore _state = new();
    private readonly CancellationToken _ct = CancellationToken.None;

    private AzureAISearchIndex Create(AzureAISearchIndexSettings? settings = null, TimeSpan? networkTimeout = null, int maxRetries = 3)
    {
        var options = AzureAISearchIndex.CreateClientOptions();
        options.Transport = new HttpClientTransport(new HttpClient(_service, disposeHandler: false));
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.MaxRetries = maxRetries;
        if (networkTimeout is { } timeout)
        {
            options.Retry.NetworkTimeout = timeout;
        }
        var client = new SearchIndexClient(new Uri("https://search.example/"), new AzureKeyCredential("key"), options);
        return new AzureAISearchIndex(client, "chunks", _state, NullLogger<AzureAISearchIndex>.Instance,
            settings ?? AzureAISearchIndexSettings.Default with { ItemRetryDelay = TimeSpan.FromMilliseconds(10) });
    }

    private static IndexedChunk Chunk(string documentId, string id, int ordinal, string content = "text") =>
        new(id, documentId, ordinal, content, new float[] { ordinal + 1, 0.5f, -0.25f, 1e-5f });

    private async Task<AzureAISearchIndex> InitializedAsync(AzureAISearchIndexSettings? settings = null, TimeSpan? networkTimeout = null, int maxRetries = 3)
    {
        var index = Create(settings, networkTimeout, maxRetries);
        await index.InitializeAsync(Encoder, _ct);
        _service.Requests.Clear();
        return index;
    }

    [Fact]
    public async Task InitializeCreatesAMissingIndexWithTheDocumentedSchema()
    {
        var index = Create();

        await index.InitializeAsync(Encoder, _ct);

        Assert.Equal(["GET", "PUT"], _service.Requests.Select(r => r.Method));
        var put = _service.Requests[1];
        Assert.Equal("/indexes('chunks')", Uri.UnescapeDataString(put.Path));
        Assert.Contains("api-version=2023-11-01", put.Query, StringComparison.Ordinal);
        Assert.Equal("key", put.Headers["api-key"]);
        var definition = put.Json;
        Assert.Equal("chunks", (string?)definition["name"]);
        var fields = definition["fields"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => f!.AsObject());
        // The chunk fields, then the citation, filter and access fields (asserted in TheIndexHasCitationFilterAndAccessFields).
        Assert.Equal(["id", "documentId", "ordinal", "content", "vector", .. MetadataFieldNames], fields.Keys);
        Assert.True((bool)fields["id"]["key"]!);
        Assert.Equal("Edm.String", (string?)fields["id"]["type"]);
        Assert.True((bool)fields["documentId"]["filterable"]!);
        Assert.True((bool)fields["documentId"]["facetable"]!);
        Assert.Equal("Edm.Int32", (string?)fields["ordinal"]["type"]);
        Assert.True((bool)fields["content"]["searchable"]!);
        Assert.Equal("en.lucene", (string?)fields["content"]["analyzer"]);
        Assert.Equal("Collection(Edm.Single)", (string?)fields["vector"]["type"]);
        Assert.True((bool)fields["vector"]["searchable"]!);
        Assert.False((bool)fields["vector"]["retrievable"]!);
        Assert.Equal(Dimensions, (int)fields["vector"]["dimensions"]!);
        Assert.Equal(SearchIndexSchema.VectorProfileName, (string?)fields["vector"]["vectorSearchProfile"]);
        var profile = definition["vectorSearch"]!["profiles"]![0]!;
        Assert.Equal(SearchIndexSchema.HnswConfigurationName, (string?)profile["algorithm"]);
        var algorithm = definition["vectorSearch"]!["algorithms"]![0]!;
        Assert.Equal("hnsw", (string?)algorithm["kind"]);
        Assert.Equal(SearchIndexSchema.HnswConfigurationName, (string?)algorithm["name"]);
        Assert.Equal("cosine", (string?)algorithm["hnswParameters"]!["metric"]);
        Assert.Equal(new SearchIndexState("test-model", Dimensions, 0), _state.State);
    }

    [Fact]
    public async Task InitializeLeavesACompatibleIndexAlone()
    {
        await Create().InitializeAsync(Encoder, _ct);
        _service.Requests.Clear();

        await Create().InitializeAsync(Encoder, _ct);

        Assert.Equal(["GET"], _service.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task InitializeRefusesAnotherEncoderWhenTheIndexHoldsDocuments()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", "c1", 0)], _ct);

        var mismatch = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => Create().InitializeAsync(new VectorSpace("other-model", Dimensions), _ct));
        Assert.Equal(Encoder, mismatch.Indexed);
        await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => Create().InitializeAsync(new VectorSpace("test-model", 8), _ct));
    }

    [Fact]
    public async Task AnEmptyIndexOfOtherDimensionsIsRecreatedForTheNewEncoder()
    {
        await Create().InitializeAsync(Encoder, _ct);
        _service.Requests.Clear();

        await Create().InitializeAsync(new VectorSpace("bigger-model", 8), _ct);

        Assert.Equal(["GET", "GET", "DELETE", "PUT"], _service.Requests.Select(r => r.Method));
        Assert.EndsWith("/docs/$count", _service.Requests[1].Path, StringComparison.Ordinal);
        Assert.Equal(8, (int)_service.IndexDefinition!["fields"]!.AsArray().Single(f => (string?)f!["name"] == "vector")!["dimensions"]!);
        Assert.Equal(new SearchIndexState("bigger-model", 8, 1), _state.State);
    }

    [Fact]
    public async Task ReplaceUploadsNewChunksFirstThenDeletesStaleOnesThenBumpsTheGeneration()
    {
        var index = await InitializedAsync();

        var first = await index.ReplaceDocumentAsync("doc", [Chunk("doc", "a", 0), Chunk("doc", "b", 1)], _ct);
        Assert.Equal(new IndexChange(2, 0, 1), first);

        _service.Requests.Clear();
        var second = await index.ReplaceDocumentAsync("doc", [Chunk("doc", "b", 0), Chunk("doc", "c", 1)], _ct);

        Assert.Equal(new IndexChange(1, 1, 2), second);
        var batches = _service.IndexBatches.Select(r => r.Json["value"]!.AsArray()).ToList();
        Assert.Equal(2, batches.Count);
        // New and moved chunks in the first request, stale ones in the second: readers never see the document vanish.
        Assert.Equal([("merge", "b"), ("upload", "c")], batches[0].Select(a => ((string)a!["@search.action"]!, (string)a["id"]!)).Order());
        Assert.Equal(["@search.action", "id", "ordinal"], batches[0].Single(a => (string?)a!["id"] == "b")!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        var upload = batches[0].Single(a => (string?)a!["id"] == "c")!;
        Assert.Equal("doc", (string?)upload["documentId"]);
        Assert.Equal("text", (string?)upload["content"]);
        Assert.Equal([2f, 0.5f, -0.25f, 1e-5f], upload["vector"]!.AsArray().Select(v => (float)v!));
        Assert.Equal([("delete", "a")], batches[1].Select(a => ((string)a!["@search.action"]!, (string)a["id"]!)));
        Assert.Equal(["b", "c"], _service.Documents.Keys.Order());

        var unchanged = await index.ReplaceDocumentAsync("doc", [Chunk("doc", "b", 0), Chunk("doc", "c", 1)], _ct);
        Assert.Equal(new IndexChange(0, 0, 2), unchanged);
        Assert.Equal(2, await index.CountChunksAsync("doc", _ct));
    }

    [Fact]
    public async Task DocumentIdsAreQuotedInFiltersSoNoIdCanChangeTheExpression()
    {
        var index = await InitializedAsync();
        const string hostile = "it's' or documentId ne '";

        await index.ReplaceDocumentAsync(hostile, [Chunk(hostile, "x", 0)], _ct);
        await index.ReplaceDocumentAsync("other", [Chunk("other", "y", 0)], _ct);
        var removed = await index.DeleteDocumentAsync(hostile, _ct);

        var filter = (string?)_service.Searches.First().Json["filter"];
        Assert.Equal("documentId eq 'it''s'' or documentId ne '''", filter);
        Assert.Equal(AzureAISearchQuery.DocumentFilter(hostile), filter);
        Assert.Equal(1, removed.ChunksRemoved);
        Assert.Equal(["y"], _service.Documents.Keys);
    }

    [Fact]
    public async Task ListingADocumentsChunksPagesInKeyOrder()
    {
        var index = await InitializedAsync(AzureAISearchIndexSettings.Default with { ListPageSize = 2 });
        await index.ReplaceDocumentAsync("doc", [.. Enumerable.Range(0, 5).Select(i => Chunk("doc", $"c{i}", i))], _ct);
        _service.Requests.Clear();

        Assert.Equal(5, await index.CountChunksAsync("doc", _ct));

        var pages = _service.Searches.Select(r => r.Json).ToList();
        Assert.Equal([0, 2, 4], pages.Select(p => (int)p["skip"]!));
        Assert.All(pages, p =>
        {
            Assert.Equal(2, (int)p["top"]!);
            Assert.Equal("id", (string?)p["orderby"]);
            // The metadata hash too, since issue 10: kept chunks whose metadata changed are merged.
            Assert.Equal("id,ordinal,metadataHash", (string?)p["select"]);
            Assert.Equal("*", (string?)p["search"]);
        });
    }

    [Fact]
    public async Task UploadsAreSplitIntoBatchesWithinTheActionAndSizeLimits()
    {
        var index = await InitializedAsync(AzureAISearchIndexSettings.Default with { MaxActionsPerBatch = 3 });

        await index.ReplaceDocumentAsync("doc", [.. Enumerable.Range(0, 7).Select(i => Chunk("doc", $"c{i}", i))], _ct);

        Assert.Equal([3, 3, 1], _service.IndexBatches.Select(r => r.Json["value"]!.AsArray().Count));
        Assert.Equal(7, _service.Documents.Count);

        var big = new string('é', 4000);
        var actions = Enumerable.Range(0, 10).Select(i => IndexDocumentsAction.Upload(new SearchChunkDocument { Id = $"k{i}", DocumentId = "d", Content = big, Ordinal = i, Vector = new float[1536] })).ToList();
        var perAction = IndexBatchWriter.EstimateBytes(actions[0]);
        Assert.True(perAction >= 4000 * 6 + 1536 * 16, "The estimate must cover escaped text and the longest floats.");
        var batches = IndexBatchWriter.Batch(actions, AzureAISearchIndexSettings.Default with { MaxBytesPerBatch = perAction * 4 }).ToList();
        Assert.Equal([4, 4, 2], batches.Select(b => b.Count));
        Assert.All(batches, b => Assert.True(b.Sum(IndexBatchWriter.EstimateBytes) <= perAction * 4));
        // The real request stays under the estimate.
        var serialized = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(actions[0].Document).Length;
        Assert.True(serialized <= perAction, $"serialized {serialized} B > estimated {perAction} B");
    }

    [Fact]
    public async Task DocumentsThatFailOneByOneWith409422Or503AreRetriedAlone()
    {
        var index = await InitializedAsync();
        _service.ItemStatuses["c1"] = new([503, 422]);
        _service.ItemStatuses["c2"] = new([409]);

        var change = await index.ReplaceDocumentAsync("doc", [Chunk("doc", "c0", 0), Chunk("doc", "c1", 1), Chunk("doc", "c2", 2)], _ct);

        Assert.Equal(3, change.ChunksAdded);
        Assert.Equal([["c0", "c1", "c2"], ["c1", "c2"], ["c1"]], _service.IndexBatches.Select(r => r.Json["value"]!.AsArray().Select(a => (string)a!["id"]!).ToList()));
        Assert.Equal(3, _service.Documents.Count);
    }

    [Fact]
    public async Task ADocumentRejectedAsMalformedFailsTheCallWithoutRetry()
    {
        var index = await InitializedAsync();
        _service.ItemStatuses["bad"] = new([400]);

        var error = await Assert.ThrowsAsync<AzureAISearchIndexingException>(() => index.ReplaceDocumentAsync("doc", [Chunk("doc", "ok", 0), Chunk("doc", "bad", 1)], _ct));

        Assert.Equal([("bad", 400)], error.Failures.Select(f => (f.Key, f.Status)));
        // The refused document is not sent again; the chunk the batch did add is removed, so nothing of the failed
        // replacement stays searchable, and the generation moves past the moment it was.
        var batches = _service.IndexBatches.Select(r => r.Json["value"]!.AsArray().Select(a => $"{a!["@search.action"]} {a["id"]}").ToList()).ToList();
        Assert.Equal([["upload ok", "upload bad"], ["delete ok"]], batches);
        Assert.Empty(_service.Documents);
        Assert.Equal(1, (await _state.ReadAsync(_ct))!.Generation);
    }

    [Fact]
    public async Task ADocumentThatKeepsFailingGivesUpAfterTheConfiguredRetries()
    {
        var index = await InitializedAsync(AzureAISearchIndexSettings.Default with { MaxItemRetries = 2, ItemRetryDelay = TimeSpan.FromMilliseconds(1) });
        _service.ItemStatuses["c"] = new([503, 503, 503, 503]);

        var error = await Assert.ThrowsAsync<AzureAISearchIndexingException>(() => index.ReplaceDocumentAsync("doc", [Chunk("doc", "c", 0)], _ct));

        Assert.Contains("after 3 attempts", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, _service.IndexBatches.Count());
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    public async Task AWholeRequestRejectedWith400Or403FailsAtOnce(HttpStatusCode status)
    {
        var index = await InitializedAsync();
        _service.Faults.Add((request, _, _) => Task.FromResult(request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal)
            ? AzureAISearchRestApiFake.Error(status, "The request is invalid.") : null));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => index.ReplaceDocumentAsync("doc", [Chunk("doc", "c", 0)], _ct));

        Assert.Equal((int)status, error.Status);
        Assert.Single(_service.IndexBatches);
    }

    [Fact]
    public async Task ThrottlingWithRetryAfterIsRetriedByThePipelineAfterTheAskedDelay()
    {
        var index = await InitializedAsync();
        var throttled = 0;
        _service.Faults.Add((request, _, _) =>
        {
            if (request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal) && throttled++ < 1)
            {
                var response = AzureAISearchRestApiFake.Error(HttpStatusCode.TooManyRequests, "Too many requests");
                response.Headers.Add("Retry-After", "1");
                return Task.FromResult<HttpResponseMessage?>(response);
            }
            return Task.FromResult<HttpResponseMessage?>(null);
        });

        var watch = Stopwatch.StartNew();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", "c", 0)], _ct);

        Assert.Equal(2, _service.IndexBatches.Count());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {watch.Elapsed}");
        Assert.Single(_service.Documents);
    }

    [Fact]
    public async Task ServiceUnavailableIsRetriedAndAPersistentOneSurfaces()
    {
        var index = await InitializedAsync(maxRetries: 2);
        var failures = 1;
        _service.Faults.Add((request, _, _) => Task.FromResult(request.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal) && failures-- > 0
            ? AzureAISearchRestApiFake.Error(HttpStatusCode.ServiceUnavailable, "busy") : null));

        Assert.Equal(0, await index.CountChunksAsync("doc", _ct));
        Assert.Equal(2, _service.Searches.Count());

        failures = 100;
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => index.CountChunksAsync("doc", _ct));
        Assert.Equal(503, error.Status);
    }

    [Fact]
    public async Task ARequestThatTimesOutIsAbandonedAndRetried()
    {
        var index = await InitializedAsync(networkTimeout: TimeSpan.FromMilliseconds(300));
        var slow = 1;
        _service.Faults.Add(async (request, _, cancellation) =>
        {
            if (request.Path.EndsWith("/docs/search.post.search", StringComparison.Ordinal) && Interlocked.Decrement(ref slow) >= 0)
            {
                // A service that never answers: only the pipeline's network timeout (which cancels the request) ends the wait.
                await Task.Delay(TimeSpan.FromSeconds(5), cancellation);
                return AzureAISearchRestApiFake.Error(HttpStatusCode.InternalServerError, "too late");
            }
            return null;
        });

        var watch = Stopwatch.StartNew();
        Assert.Equal(0, await index.CountChunksAsync("doc", _ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
        Assert.Equal(2, _service.Searches.Count());
    }

    [Fact]
    public async Task HybridQueriesSendTextAndAVectorQueryAndLetTheServiceFuse()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", "a", 0, "alpha"), Chunk("doc", "b", 1, "beta")], _ct);
        _service.SearchResults.AddRange([("b", 0.033), ("a", 0.016)]);
        _service.Requests.Clear();

        var hits = await index.SearchAsync(new IndexQuery("state-of-the-art C++", new float[] { 1, 0, 0, 0 }, RetrievalMode.Hybrid, 3), _ct);

        var body = _service.Searches.Single().Json.AsObject();
        Assert.Equal(@"state\-of\-the\-art C\+\+", (string?)body["search"]);
        Assert.Equal("simple", (string?)body["queryType"]);
        Assert.Equal("any", (string?)body["searchMode"]);
        // The page plus one: the extra hit tells whether equal scores straddle the end of the page (see AzureAISearchQuery).
        Assert.Equal(3 + 1, (int)body["top"]!);
        // The citation fields too, since issue 10 (never the vector or the ACL).
        Assert.Equal("id,documentId,content,title,source,url,contentType,headings,page,modifiedAt,tags", (string?)body["select"]);
        var vectorQuery = body["vectorQueries"]!.AsArray().Single()!;
        Assert.Equal("vector", (string?)vectorQuery["kind"]);
        Assert.Equal(50, (int)vectorQuery["k"]!);
        Assert.Equal("vector", (string?)vectorQuery["fields"]);
        Assert.Equal([1f, 0f, 0f, 0f], vectorQuery["vector"]!.AsArray().Select(v => (float)v!));
        Assert.Equal([("b", "beta", 0.033), ("a", "alpha", 0.016)], hits.Select(h => (h.ChunkId, h.Content, h.Score)));
        Assert.All(hits, h => Assert.Equal("doc", h.DocumentId));
    }

    [Fact]
    public async Task VectorQueriesSendNoTextAndReportCosineSimilarity()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", "a", 0)], _ct);
        _service.SearchResults.Add(("a", 1 / (1 + (1 - 0.8))));
        _service.Requests.Clear();

        var hits = await index.SearchAsync(new IndexQuery("ignored", new float[] { 1, 0, 0, 0 }, RetrievalMode.Vector, 5), _ct);

        var body = _service.Searches.Single().Json.AsObject();
        Assert.False(body.ContainsKey("search"));
        // The page plus one, as for hybrid queries' top.
        Assert.Equal(5 + 1, (int)body["vectorQueries"]![0]!["k"]!);
        Assert.Equal(0.8, Assert.Single(hits).Score, 6);
    }

    [Fact]
    public async Task KeywordQueriesSendNoVector()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("doc", [Chunk("doc", "a", 0)], _ct);
        _service.SearchResults.Add(("a", 2.5));
        _service.Requests.Clear();

        var hits = await index.SearchAsync(new IndexQuery("bees", null, RetrievalMode.Keyword, 5), _ct);

        var body = _service.Searches.Single().Json.AsObject();
        Assert.Equal("bees", (string?)body["search"]);
        Assert.False(body.ContainsKey("vectorQueries"));
        Assert.Equal(2.5, Assert.Single(hits).Score);
    }

    [Fact]
    public async Task DocumentsAreListedByFacet()
    {
        var index = await InitializedAsync();
        await index.ReplaceDocumentAsync("b", [Chunk("b", "1", 0), Chunk("b", "2", 1)], _ct);
        await index.ReplaceDocumentAsync("a", [Chunk("a", "3", 0)], _ct);
        _service.Requests.Clear();

        Assert.Equal(["a", "b"], await index.ListDocumentIdsAsync(_ct));
        var body = _service.Searches.Single().Json;
        Assert.Equal("documentId,count:100000", (string?)body["facets"]![0]);
        Assert.Equal(0, (int)body["top"]!);
    }

    [Fact]
    public async Task UsingTheIndexBeforeInitializingItIsAnError()
    {
        var index = Create();
        await Assert.ThrowsAsync<InvalidOperationException>(() => index.ReplaceDocumentAsync("doc", [Chunk("doc", "a", 0)], _ct));
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await index.InitializeAsync(Encoder, _ct);
            await index.ReplaceDocumentAsync("doc", [new IndexedChunk("a", "doc", 0, "x", new float[3])], _ct);
        });
    }

    public void Dispose() => _service.Dispose();
}
