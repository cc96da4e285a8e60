using System.Diagnostics;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;
using Xunit.Abstractions;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// Fault suite (b): a seeded 20 % of the requests the Cosmos DB client sends — every request: account and container
/// set-up, cache ReadMany and upserts, status reads and writes — are answered by a proxy in front of the Cosmos stand-in
/// with 429 and <c>x-ms-retry-after-ms</c>, 503, or a reset connection, while a corpus is synced with the embedding
/// cache and the document statuses in Cosmos DB, using the client settings production uses
/// (<see cref="CosmosClientFactory.CreateClientOptions"/>). Afterwards the cache holds exactly the vectors of a clean
/// run and the statuses say exactly what a clean run's say: nothing lost, nothing wrong.
/// </summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosFaultTests(CosmosServerFixture cosmos, ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20260512;

    private static readonly FaultKind[] Kinds = [FaultKind.Throttled, FaultKind.Unavailable, FaultKind.Dropped];

    private readonly TempDirectory _root = new();

    [Fact]
    public async Task TwentyPercentOfCosmosRequestsFailingLeavesTheEmbeddingCacheAndStatusesAsACleanRunDoes()
    {
        var corpus = FaultCorpus.Create(documents: 40, copies: 4, seed: Seed);
        var source = new InMemoryDocumentSource("fault corpus", corpus);

        var cleanWatch = Stopwatch.StartNew();
        var clean = await SyncAsync("clean", source, new FaultInjector(Seed, 0, Kinds));
        cleanWatch.Stop();
        var injector = new FaultInjector(Seed, 0.20, Kinds);
        var watch = Stopwatch.StartNew();
        var faulty = await SyncAsync("faulty", source, injector);
        watch.Stop();

        output.WriteLine($"corpus: {corpus.Count} documents, {clean.Summary.Chunks} chunks, {clean.Cache.Count} distinct texts");
        output.WriteLine($"clean run: {clean.Requests} Cosmos requests; {cleanWatch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"faulty run: {injector.Describe()}; {watch.Elapsed.TotalSeconds:F1} s");
        output.WriteLine($"faulty run: {faulty.Summary.Count(IngestionOutcome.Indexed)} indexed, {faulty.Summary.Errors} errors, " +
            $"{faulty.Summary.EmbeddingsComputed} embeddings computed, {faulty.Summary.EmbeddingsReused} reused; " +
            $"cache {faulty.Cache.Count} items, statuses {faulty.Statuses.Count}; documents lost: {corpus.Count - faulty.Summary.Count(IngestionOutcome.Indexed)}");
        foreach (var failed in faulty.Summary.Results.Where(r => r.Outcome == IngestionOutcome.Failed))
        {
            output.WriteLine($"failed: {failed.DocumentId}: {failed.Error}");
        }

        Assert.All(Kinds, kind => Assert.True(injector.InjectedOf(kind) > 0, $"no {kind} fault was injected"));

        Assert.Equal(corpus.Count, faulty.Summary.Count(IngestionOutcome.Indexed));
        Assert.Equal(0, faulty.Summary.Errors);
        Assert.Equal(clean.Summary.EmbeddingsComputed, faulty.Summary.EmbeddingsComputed);

        // The cache: the same keys with the same vectors, every computed vector stored.
        Assert.Equal(clean.Summary.EmbeddingsComputed, clean.Cache.Count);
        Assert.Equal(clean.Cache.Keys.Order(StringComparer.Ordinal), faulty.Cache.Keys.Order(StringComparer.Ordinal));
        Assert.All(clean.Cache, entry => Assert.Equal(entry.Value, faulty.Cache[entry.Key]));

        // The statuses: one per document, indexed, with the clean run's chunks, hashes and versions.
        Assert.Equal(corpus.Count, faulty.Statuses.Count);
        Assert.Equal(clean.Statuses, faulty.Statuses);
    }

    private async Task<Run> SyncAsync(string name, InMemoryDocumentSource source, FaultInjector faults)
    {
        await using var proxy = await FaultInjectingProxy.StartAsync(cosmos.Endpoint, faults);
        // What Cosmos DB sends with a 429; the SDK waits that long before it retries.
        proxy.ThrottleHeaders["x-ms-retry-after-ms"] = "25";
        proxy.ThrottleHeaders["x-ms-substatus"] = "3200";
        var database = $"faults-{name}-" + Guid.NewGuid().ToString("N")[..8];
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = _root.File(name),
            ["EmbeddingCache:Provider"] = "Cosmos",
            ["EmbeddingCache:Cosmos:ConnectionString"] = $"AccountEndpoint={proxy.Endpoint};AccountKey={CosmosServerFixture.EmulatorKey};",
            ["EmbeddingCache:Cosmos:Database"] = database,
            ["DocumentStatus:Provider"] = "Cosmos",
            ["DocumentStatus:Cosmos:ConnectionString"] = $"AccountEndpoint={proxy.Endpoint};AccountKey={CosmosServerFixture.EmulatorKey};",
            ["DocumentStatus:Cosmos:Database"] = database,
        };
        SyncSummary summary;
        // Production's client settings, with the waits after a 503 or a broken connection shortened from 0.5 s to 10 ms.
        await using (var services = await SemanticSearchHost.BuildAsync(settings, new HashingEmbeddingGenerator(dimensions: 32),
            configure: s => s.AddSingleton(_ => new CosmosClientFactory(() => throw new InvalidOperationException("local"), TimeSpan.FromMilliseconds(10)))))
        {
            summary = await services.GetRequiredService<DocumentSync>().SyncAsync(source, null, CancellationToken.None);
        }
        faults.Disable();

        // Read back through the stand-in itself, not the proxy.
        using var clients = new CosmosClientFactory(() => throw new InvalidOperationException("local"));
        var client = clients.GetClient(cosmos.Container("embeddings", database));
        var cache = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var feed = client.GetContainer(database, "embeddings").GetItemQueryIterator<CosmosEmbeddingCacheStore.Item>("SELECT * FROM c"))
        {
            while (feed.HasMoreResults)
            {
                foreach (var item in await feed.ReadNextAsync())
                {
                    cache.Add(item.Id, item.Vector);
                }
            }
        }
        var store = new CosmosDocumentStatusStore(
            new CosmosContainerConnection(client, cosmos.Container("documents", database), NullLogger.Instance),
            NullLogger<CosmosDocumentStatusStore>.Instance);
        var statuses = new List<string>();
        await foreach (var status in store.ListAllAsync(CancellationToken.None))
        {
            statuses.Add($"{status.DocumentId} {status.State} chunks={status.Chunks} hash={status.ContentHash} pipeline={status.PipelineVersion} version={status.SourceVersion} error={status.Error}");
        }
        statuses.Sort(StringComparer.Ordinal);
        return new Run(summary, cache, statuses, faults.Requests);
    }

    private sealed record Run(SyncSummary Summary, Dictionary<string, string> Cache, List<string> Statuses, int Requests);

    public void Dispose() => _root.Dispose();
}
