using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Core.Pipeline;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SemanticSearch.AzureBackends.AzureAISearch;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;
using Xunit.Abstractions;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// Fault suite (c): Azure AI Search's indexing endpoint (<c>/indexes('chunks')/docs/search.index</c>), behind the REST
/// stand-in, answers a seeded share of batches with 503 (the SDK pipeline retries the whole request) and another share
/// with 207 multi-status, in which some documents fail one by one with 503 or 429 and an <c>errorMessage</c> (the index
/// sends those again alone). A corpus synced through the product's composition must end with every chunk present exactly
/// once — the same chunks as a clean run — and a document that the service refuses for good (400) must be reported as
/// failed with the service's reason, never dropped silently.
/// </summary>
public sealed class SearchIndexFaultTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20260513;

    private readonly TempDirectory _root = new();

    [Fact]
    public async Task WholeRequest503sAnd207PartialFailuresLeaveEveryChunkIndexedExactlyOnce()
    {
        var corpus = FaultCorpus.Create(documents: 40, copies: 4, seed: Seed);
        var source = new InMemoryDocumentSource("fault corpus", corpus);

        var clean = await SyncAsync("clean", source, faults: null);
        var faults = new IndexFaults(Seed, wholeRequestRate: 0.15, partialRate: 0.20, itemRate: 0.4);
        var watch = Stopwatch.StartNew();
        var faulty = await SyncAsync("faulty", source, faults);
        watch.Stop();

        output.WriteLine($"corpus: {corpus.Count} documents, {clean.Summary.Chunks} chunks");
        output.WriteLine($"clean run: {clean.Service.IndexBatches.Count()} indexing requests");
        output.WriteLine($"faulty run: {faults.Describe()}; {faulty.Service.IndexBatches.Count()} indexing requests in all; {watch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"faulty run: {faulty.Summary.Count(IngestionOutcome.Indexed)} indexed, {faulty.Summary.Errors} errors; " +
            $"{faulty.Service.Documents.Count} chunks in the index; documents lost: {corpus.Count - faulty.Summary.Count(IngestionOutcome.Indexed)}");
        foreach (var failed in faulty.Summary.Results.Where(r => r.Outcome == IngestionOutcome.Failed))
        {
            output.WriteLine($"failed: {failed.DocumentId}: {failed.Error}");
        }

        Assert.True(faults.WholeRequests > 0 && faults.PartialBatches > 0, "both kinds of faults must be injected");
        Assert.True(faults.ItemFailures.Values.All(n => n > 0) && faults.ItemFailures.Count == 2, "items must fail with 503 and with 429");

        Assert.Equal(corpus.Count, faulty.Summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(0, faulty.Summary.Errors);
        // Every chunk exactly once: the index holds the clean run's chunk ids, with the same content, and each document
        // holds the chunks its ingestion reported.
        Assert.Equal(clean.Summary.Chunks, faulty.Service.Documents.Count);
        Assert.Equal(clean.Service.Documents.Keys.Order(StringComparer.Ordinal), faulty.Service.Documents.Keys.Order(StringComparer.Ordinal));
        Assert.All(clean.Service.Documents, d => Assert.Equal(d.Value["content"]!.GetValue<string>(), faulty.Service.Documents[d.Key]["content"]!.GetValue<string>()));
        var perDocument = faulty.Service.Documents.Values.GroupBy(d => d["documentId"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(faulty.Summary.Results.ToDictionary(r => r.DocumentId, r => r.Chunks), perDocument);
    }

    [Fact]
    public async Task AChunkTheServiceRefusesForGoodFailsItsDocumentWithTheServicesReason()
    {
        var corpus = FaultCorpus.Create(documents: 6, copies: 0, seed: Seed);
        var source = new InMemoryDocumentSource("fault corpus", corpus);
        const string refused = "reports/report-003.md";
        var service = new AzureAISearchRestApiFake();
        // Any upload of a chunk of that document: one chunk is refused as malformed, every time.
        service.Faults.Add((request, _, _) =>
        {
            if (request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal))
            {
                var keys = request.Json["value"]!.AsArray()
                    .Where(a => a!["documentId"]?.GetValue<string>() == refused && a["@search.action"]!.GetValue<string>() == "upload")
                    .Select(a => a!["id"]!.GetValue<string>()).ToList();
                if (keys.Count > 0)
                {
                    service.ItemStatuses[keys[^1]] = new([400]);
                }
            }
            return Task.FromResult<HttpResponseMessage?>(null);
        });

        var run = await SyncAsync("refused", source, faults: null, service);

        var result = Assert.Single(run.Summary.Results, r => r.DocumentId == refused);
        output.WriteLine($"{refused}: outcome {result.Outcome}; error \"{result.Error}\"");
        output.WriteLine($"status: {run.Statuses[refused].State}; error \"{run.Statuses[refused].Error}\"; {run.Service.Documents.Count} chunks in the index, none of {refused}");
        Assert.Equal(IngestionOutcome.Failed, result.Outcome);
        Assert.Contains("400", result.Error, StringComparison.Ordinal);
        Assert.Contains("Injected 400", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, run.Summary.Errors);
        Assert.Equal(DocumentState.Failed, run.Statuses[refused].State);
        Assert.Equal(result.Error, run.Statuses[refused].Error);
        // Nothing of the refused document is searchable; every other document is, completely.
        Assert.DoesNotContain(run.Service.Documents.Values, d => d["documentId"]!.GetValue<string>() == refused);
        Assert.Equal(corpus.Count - 1, run.Summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(run.Summary.Results.Where(r => r.Outcome == IngestionOutcome.Indexed).Sum(r => r.Chunks), run.Service.Documents.Count);
    }

    private async Task<Run> SyncAsync(string name, InMemoryDocumentSource source, IndexFaults? faults, AzureAISearchRestApiFake? service = null)
    {
        service ??= new AzureAISearchRestApiFake();
        if (faults is not null)
        {
            service.Faults.Add(faults.Apply(service));
        }
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = _root.File(name),
            ["Index:Provider"] = "AzureAISearch",
            ["Index:AzureAISearch:Endpoint"] = "https://search.example/",
            ["Index:AzureAISearch:IndexName"] = "chunks",
            ["Index:AzureAISearch:ApiKey"] = "key",
            // Never reached: the index below keeps its state in memory.
            ["Index:AzureAISearch:State:ConnectionString"] = "AccountEndpoint=http://127.0.0.1:9/;AccountKey=" + CosmosServerFixture.EmulatorKey + ";",
        };
        var state = new InMemorySearchIndexStateStore();
        SyncSummary summary;
        var statuses = new Dictionary<string, DocumentStatus>(StringComparer.Ordinal);
        await using (var services = await SemanticSearchHost.BuildAsync(settings, new HashingEmbeddingGenerator(dimensions: 16),
            configure: s => s.AddKeyedSingleton<ISearchIndex>(IndexProvider.AzureAISearch, (sp, _) =>
            {
                // Production's client and index settings (AzureAISearchIndex.CreateClientOptions, AzureAISearchIndexSettings.Default),
                // with the waits shortened: the pipeline's first retry after 10 ms instead of 0.8 s, a failed item's after 10 ms instead of 1 s.
                var options = AzureAISearchIndex.CreateClientOptions();
                options.Transport = new HttpClientTransport(new HttpClient(service, disposeHandler: false));
                options.Retry.Delay = TimeSpan.FromMilliseconds(10);
                var client = new SearchIndexClient(new Uri("https://search.example/"), new AzureKeyCredential("key"), options);
                return new AzureAISearchIndex(client, "chunks", state, sp.GetRequiredService<ILogger<AzureAISearchIndex>>(),
                    AzureAISearchIndexSettings.Default with { MaxActionsPerBatch = 3, ItemRetryDelay = TimeSpan.FromMilliseconds(10) });
            })))
        {
            summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);
            await foreach (var status in services.GetRequiredService<IDocumentStatusStore>().ListAllAsync(CancellationToken.None))
            {
                statuses[status.DocumentId] = status;
            }
        }
        return new Run(summary, service, statuses);
    }

    private sealed record Run(SyncSummary Summary, AzureAISearchRestApiFake Service, Dictionary<string, DocumentStatus> Statuses);

    /// <summary>
    /// Seeded faults on indexing requests: a share answered 503 as a whole, another share answered 207 with some of
    /// their documents failing alone (503 or 429, chosen evenly), the rest left alone.
    /// </summary>
    private sealed class IndexFaults(int seed, double wholeRequestRate, double partialRate, double itemRate)
    {
        private readonly Random _random = new(seed);

        public int Requests { get; private set; }

        public int WholeRequests { get; private set; }

        public int PartialBatches { get; private set; }

        public Dictionary<int, int> ItemFailures { get; } = [];

        public Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage?>> Apply(AzureAISearchRestApiFake service) => (request, _, _) =>
        {
            if (!request.Path.EndsWith("/docs/search.index", StringComparison.Ordinal))
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }
            lock (_random)
            {
                Requests++;
                var roll = _random.NextDouble();
                if (roll < wholeRequestRate)
                {
                    WholeRequests++;
                    return Task.FromResult<HttpResponseMessage?>(AzureAISearchRestApiFake.Error(HttpStatusCode.ServiceUnavailable, "Service is too busy to process the request."));
                }
                if (roll < wholeRequestRate + partialRate)
                {
                    var failed = 0;
                    foreach (var action in request.Json["value"]!.AsArray())
                    {
                        if (_random.NextDouble() < itemRate)
                        {
                            var status = _random.Next(2) == 0 ? 503 : 429;
                            service.ItemStatuses[action!["id"]!.GetValue<string>()] = new([status]);
                            ItemFailures[status] = ItemFailures.GetValueOrDefault(status) + 1;
                            failed++;
                        }
                    }
                    PartialBatches += failed > 0 ? 1 : 0;
                }
            }
            return Task.FromResult<HttpResponseMessage?>(null);
        };

        public string Describe() =>
            $"seed {seed}: {Requests} indexing requests, {WholeRequests} answered 503, {PartialBatches} answered 207 with " +
            $"{ItemFailures.GetValueOrDefault(503)} documents failing 503 and {ItemFailures.GetValueOrDefault(429)} failing 429";
    }

    public void Dispose() => _root.Dispose();
}
