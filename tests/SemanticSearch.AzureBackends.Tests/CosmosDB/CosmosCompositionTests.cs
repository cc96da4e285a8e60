using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Embeddings;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.Tests.CosmosDB;

/// <summary>The Cosmos DB backends chosen by configuration, through the product's composition, against the local stand-in.</summary>
[Collection(CosmosServerGroup.Name)]
public sealed class CosmosCompositionTests(CosmosServerFixture cosmos) : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly string _database = "db-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task AfterTheLocalDataFolderIsWipedEveryEmbeddingIsReusedFromCosmos()
    {
        var documents = SemanticSearchHost.CopySamples(_root.File("docs"));
        var data = _root.File("data");
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = data,
            ["EmbeddingCache:Provider"] = "Cosmos",
            ["EmbeddingCache:Cosmos:ConnectionString"] = cosmos.ConnectionString,
            ["EmbeddingCache:Cosmos:Database"] = _database,
        };

        SyncSummary first;
        await using (var services = await SemanticSearchHost.BuildAsync(settings))
        {
            Assert.IsType<CosmosEmbeddingCacheStore>(services.GetRequiredService<IEmbeddingCacheStore>());
            first = await services.SyncFolderAsync(documents);
        }
        Assert.Equal(6, first.Count(IngestionOutcome.Indexed));
        Assert.True(first.EmbeddingsComputed > 0);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);

        await using (var services = await SemanticSearchHost.BuildAsync(settings))
        {
            var second = await services.SyncFolderAsync(documents);

            Assert.Equal(6, second.Count(IngestionOutcome.Indexed));
            Assert.Equal(0, second.EmbeddingsComputed);
            Assert.Equal(first.Chunks, second.EmbeddingsReused);
            Assert.Equal(first.Chunks, second.Chunks);
            var hits = await services.GetRequiredService<ISearchIndex>().SearchAsync(
                new IndexQuery("honeybee waggle dance", null, RetrievalMode.Keyword, 1), CancellationToken.None);
            Assert.Equal("honeybee-navigation.txt", Assert.Single(hits).DocumentId);
        }
    }

    [Fact]
    public async Task OneInstancesAnswerServesAnotherThroughTheSharedResultCache()
    {
        var data = _root.File("data");
        var settings = new Dictionary<string, string?>
        {
            ["Data:Path"] = data,
            ["ResultCache:Provider"] = "Cosmos",
            ["ResultCache:Cosmos:ConnectionString"] = cosmos.ConnectionString,
            ["ResultCache:Cosmos:Database"] = _database,
            ["DocumentStatus:Provider"] = "Cosmos",
            ["DocumentStatus:Cosmos:ConnectionString"] = cosmos.ConnectionString,
            ["DocumentStatus:Cosmos:Database"] = _database,
        };
        var encoderA = new HashingEmbeddingGenerator();
        var encoderB = new HashingEmbeddingGenerator();
        await using var a = await SemanticSearchHost.BuildAsync(settings, encoderA);
        await using var b = await SemanticSearchHost.BuildAsync(settings, encoderB);
        Assert.IsType<CosmosDistributedCache>(a.GetRequiredService<IDistributedCache>());
        Assert.IsType<CosmosDocumentStatusStore>(a.GetRequiredService<IDocumentStatusStore>());

        using (var stream = new MemoryStream("Honeybees find flowers with a waggle dance."u8.ToArray()))
        {
            await a.GetRequiredService<DocumentIngestor>().IngestAsync("bees.txt", stream, CancellationToken.None);
        }
        // The other instance sees the status the first one wrote.
        Assert.Equal(DocumentState.Indexed, (await b.GetRequiredService<IDocumentStatusStore>().GetAsync("bees.txt", CancellationToken.None))!.State);

        var request = new SearchRequest("how do bees find flowers", 3, RetrievalMode.Hybrid);
        var fromA = await a.GetRequiredService<SearchService>().SearchAsync(request, CancellationToken.None);
        // HybridCache writes its shared level in the background; instance B asks once it is there.
        await WaitForSharedEntryAsync(a);
        var queriesEmbeddedByB = encoderB.TextsEmbedded;
        var fromB = await b.GetRequiredService<SearchService>().SearchAsync(request, CancellationToken.None);

        Assert.False(fromA.CacheHit);
        Assert.True(fromB.CacheHit);
        Assert.Equal(queriesEmbeddedByB, encoderB.TextsEmbedded);
        Assert.Equal(fromA.Results, fromB.Results);
        Assert.Equal("bees.txt", fromB.Results[0].DocumentId);

        // A change to the index moves the generation, so the shared answer is not served again. (A writes it: the
        // embedded index these two instances share takes one writer at a time, as Azure AI Search would not.)
        using (var stream = new MemoryStream("Bumblebees also visit flowers.".Select(c => (byte)c).ToArray()))
        {
            await a.GetRequiredService<DocumentIngestor>().IngestAsync("bumblebees.txt", stream, CancellationToken.None);
        }
        Assert.False((await a.GetRequiredService<SearchService>().SearchAsync(request, CancellationToken.None)).CacheHit);
    }

    public void Dispose() => _root.Dispose();

    private static async Task WaitForSharedEntryAsync(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<SemanticSearchOptions>>().Value.ResultCache.Cosmos;
        var container = services.GetRequiredService<CosmosClientFactory>().GetClient(options).GetContainer(options.Database, options.Container);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var feed = container.GetItemQueryIterator<System.Text.Json.JsonElement>("SELECT c.id FROM c");
            if ((await feed.ReadNextAsync()).Count > 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, "The shared result cache never received the first instance's answer.");
            await Task.Delay(50);
        }
    }
}
