using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;
using SemanticSearch.Query;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.Tests.AzureOpenAI;

/// <summary>Encoder:Provider=AzureOpenAI through the product's composition, against a loopback endpoint that throttles.</summary>
public sealed class AzureOpenAIIngestionTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly FakeAzureOpenAIServer _server = new(dimensions: 256);

    private Dictionary<string, string?> Settings => new()
    {
        ["Data:Path"] = _root.File("data"),
        ["Encoder:Provider"] = "AzureOpenAI",
        ["Encoder:BatchSize"] = "8",
        ["Encoder:AzureOpenAI:Endpoint"] = _server.Endpoint.AbsoluteUri,
        ["Encoder:AzureOpenAI:Deployment"] = "embeddings",
        ["Encoder:AzureOpenAI:Model"] = "text-embedding-3-small",
        ["Encoder:AzureOpenAI:Dimensions"] = "256",
        ["Encoder:AzureOpenAI:ApiKey"] = "local-test-key",
    };

    [Fact]
    public async Task IngestionThroughAThrottlingEndpointLosesNoChunkAndNeverSendsACachedTextTwice()
    {
        var documents = SemanticSearchHost.CopySamples(_root.File("docs"));
        _server.Throttle(3, retryAfterSeconds: 1);

        SyncSummary first;
        await using (var services = await SemanticSearchHost.BuildAsync(Settings))
        {
            var description = services.GetRequiredService<EmbeddingGeneratorMetadata>();
            Assert.Equal(("azure-openai", "text-embedding-3-small", 256), (description.ProviderName, description.DefaultModelId, description.DefaultModelDimensions));

            first = await services.SyncFolderAsync(documents);

            Assert.Equal(6, first.Count(IngestionOutcome.Indexed));
            var index = services.GetRequiredService<ISearchIndex>();
            foreach (var result in first.Results)
            {
                Assert.Equal(result.Chunks, await index.CountChunksAsync(result.DocumentId, CancellationToken.None));
            }
            var served = _server.InputsServed.ToList();
            Assert.Equal(first.EmbeddingsComputed, served.Count);
            Assert.Equal(served.Count, served.Distinct(StringComparer.Ordinal).Count());
            Assert.Equal(3, _server.Requests.Count(r => r.Status == 429));
            Assert.All(_server.Requests.Where(r => r.Status == 200), r => Assert.True(r.Inputs.Count <= 8));

            // A query is embedded once, however often it is asked, and never in passage form.
            var search = services.GetRequiredService<SearchService>();
            await search.SearchAsync(new SearchRequest("how do bees navigate", 3, RetrievalMode.Hybrid), CancellationToken.None);
            await search.SearchAsync(new SearchRequest("how do bees navigate", 5, RetrievalMode.Vector), CancellationToken.None);
            Assert.Single(_server.InputsServed, t => t == "how do bees navigate");
        }

        // A rebuilt index (index and statuses gone, embedding cache kept) costs no request at all.
        var before = _server.Requests.Count;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Path.Combine(_root.File("data"), SemanticSearch.Embedded.Indexing.EmbeddedSearchIndex.FolderName), recursive: true);
        File.Delete(Path.Combine(_root.File("data"), "documents.db"));
        await using (var services = await SemanticSearchHost.BuildAsync(Settings))
        {
            var second = await services.SyncFolderAsync(documents);
            Assert.Equal(6, second.Count(IngestionOutcome.Indexed));
            Assert.Equal(0, second.EmbeddingsComputed);
            Assert.Equal(first.Chunks, second.EmbeddingsReused);
        }
        Assert.Equal(before, _server.Requests.Count);
    }

    [Fact]
    public async Task TheIndexRefusesToServeWithAnotherAzureModel()
    {
        await using (var services = await SemanticSearchHost.BuildAsync(Settings))
        {
            using var stream = new MemoryStream("Honeybees dance."u8.ToArray());
            await services.GetRequiredService<DocumentIngestor>().IngestAsync("bees.txt", stream, CancellationToken.None);
        }

        var other = Settings;
        other["Encoder:AzureOpenAI:Model"] = "text-embedding-3-large";
        var error = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => SemanticSearchHost.BuildAsync(other));
        Assert.Equal(new VectorSpace("text-embedding-3-small", 256), error.Indexed);
        Assert.Equal(new VectorSpace("text-embedding-3-large", 256), error.Configured);
    }

    public void Dispose()
    {
        _server.Dispose();
        _root.Dispose();
    }
}
