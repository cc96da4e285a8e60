using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// Event Grid delivers at least once and <c>Reconcile</c> may overlap a trigger: ingestions of one document race.
/// Whatever the order they finish in, the newer version of the blob wins, and a duplicate has one ingestion's effect.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ConcurrentIngestionTests(AzuriteFixture azurite)
{
    private const string Old = "The lighthouse keeper trimmed the oil lamp every evening. stalevariant";
    private const string New = "The lighthouse now runs on solar panels and a battery bank. freshvariant";

    [Fact]
    public async Task AnOlderVersionThatFinishesLastDoesNotOverwriteTheNewerOne()
    {
        GatedEmbeddingGenerator? gate = null;
        await using var app = new FunctionsHarness(azurite)
        {
            ConfigureServices = services => services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
                SemanticSearchServiceKeys.UncachedEmbeddingGenerator,
                (_, _) => gate = new GatedEmbeddingGenerator(OnnxEmbeddingGenerator.Create(), "stalevariant")),
        };
        await app.StartAsync();
        await app.UploadAsync("lighthouse.txt", Old);

        // The first delivery downloads the old bytes and stalls in the encoder.
        var late = app.IngestBlobAsync("lighthouse.txt", eventGrid: true);
        await gate!.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(1.1)); // Last-Modified has one-second resolution.
        await app.UploadAsync("lighthouse.txt", New);
        var newer = (await app.Container.GetBlobClient("lighthouse.txt").GetPropertiesAsync()).Value;

        // The new upload's event is ingested completely; then the old one finishes.
        await app.IngestBlobAsync("lighthouse.txt", eventGrid: true);
        gate.Release();
        await late;

        Assert.Equal(["lighthouse.txt"], await app.SearchIdsAsync("freshvariant"));
        Assert.Empty(await app.SearchIdsAsync("stalevariant"));
        var status = (await app.StatusAsync("lighthouse.txt"))!;
        Assert.Equal(DocumentState.Indexed, status.State);
        Assert.Equal(newer.ETag.ToString().Trim('"'), status.SourceVersion);
    }

    [Fact]
    public async Task TwoDeliveriesOfTheSameUploadHaveOneIngestionsEffect()
    {
        GatedEmbeddingGenerator? gate = null;
        await using var app = new FunctionsHarness(azurite)
        {
            ConfigureServices = services => services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
                SemanticSearchServiceKeys.UncachedEmbeddingGenerator,
                (_, _) => gate = new GatedEmbeddingGenerator(OnnxEmbeddingGenerator.Create(), "freshvariant", holders: 2)),
        };
        await app.StartAsync();
        await app.UploadAsync("lighthouse.txt", New);
        var ingestion = app.Services.GetRequiredService<BlobIngestion>();
        var index = app.Services.GetRequiredService<ISearchIndex>();
        var before = await index.GetGenerationAsync(CancellationToken.None);

        // Both deliveries are inside the encoder at once, so neither can find the other's result in the cache.
        var first = ingestion.IngestAsync(app.Container.GetBlobClient("lighthouse.txt"), CancellationToken.None);
        var second = ingestion.IngestAsync(app.Container.GetBlobClient("lighthouse.txt"), CancellationToken.None);
        await gate!.Entered.WaitAsync(TimeSpan.FromSeconds(60));
        gate.Release();
        var results = await Task.WhenAll(first, second);

        Assert.Equal([IngestionOutcome.Indexed, IngestionOutcome.Unchanged], results.Select(r => r.Outcome).Order());
        Assert.Equal(before + 1, await index.GetGenerationAsync(CancellationToken.None));
        Assert.Equal(["lighthouse.txt"], await app.SearchIdsAsync("freshvariant"));
        var status = (await app.StatusAsync("lighthouse.txt"))!;
        Assert.Equal(DocumentState.Indexed, status.State);
        Assert.Equal(1, status.Chunks);
    }
}
