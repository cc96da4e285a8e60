using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Functions.Reconciliation;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Blobs;

/// <summary>
/// Reconcile fanned out through the <c>reconcile-work</c> queue against Azurite: the timer enumerates the container
/// in pages (tiny ones here, so the listing's continuation and the queued checkpoints are exercised), queues one
/// message per blob to ingest or document to remove, and the queue function does the work.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class ReconcileFanOutTests(AzuriteFixture azurite)
{
    private const int PageSize = 7;

    private static string Text(int i) => string.Create(CultureInfo.InvariantCulture, $"Field note {i}: the marker word of this note is zq{i}x, found nowhere else.");

    private static FunctionsHarness Harness(AzuriteFixture azurite, Action<IServiceCollection>? more = null) => new(azurite)
    {
        ConfigureServices = services =>
        {
            // Every invocation hands over after one page: the whole enumeration runs through queued checkpoints.
            services.AddSingleton(new ReconcileWorkSettings { PageSize = PageSize, EnumerationBudget = TimeSpan.Zero });
            more?.Invoke(services);
        },
    };

    [Fact]
    public async Task FiftyBlobsFanOutIntoOneMessageEachAndTheIndexEndsRight()
    {
        await using var app = Harness(azurite);
        await app.StartAsync();
        for (var i = 0; i < 50; i++)
        {
            await app.UploadAsync(string.Create(CultureInfo.InvariantCulture, $"notes/{i:D2}.txt"), Text(i));
        }
        // Ten arrived through their events; the rest were missed.
        for (var i = 0; i < 10; i++)
        {
            await app.IngestBlobAsync(string.Create(CultureInfo.InvariantCulture, $"notes/{i:D2}.txt"), eventGrid: true);
        }
        // Orphans: documents whose blobs were deleted without an event, in the first, a middle and past the last page.
        foreach (var name in new[] { "a-gone.txt", "notes/25b.txt", "z-gone.txt" })
        {
            await app.UploadAsync(name, "Orphaned text with the word qqorphanqq.");
            await app.IngestBlobAsync(name, eventGrid: true);
            await app.Container.GetBlobClient(name).DeleteAsync();
        }
        Assert.Equal(3, (await app.SearchIdsAsync("qqorphanqq")).Count);

        var first = await app.ReconcileAsync();

        // 53 names over pages of 7: the timer plans the first page, seven queued checkpoints plan the rest.
        var pages = (50 + PageSize - 1) / PageSize;
        Assert.Equal(new DrainResult(pages - 1 + 40 + 3, 0, 0), first);
        Assert.Empty(await app.SearchIdsAsync("qqorphanqq"));
        foreach (var name in new[] { "a-gone.txt", "notes/25b.txt", "z-gone.txt" })
        {
            Assert.Null(await app.StatusAsync(name));
        }
        for (var i = 0; i < 50; i++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"notes/{i:D2}.txt");
            Assert.Equal([id], await app.SearchIdsAsync(string.Create(CultureInfo.InvariantCulture, $"zq{i}x")));
            Assert.Equal(DocumentState.Indexed, (await app.StatusAsync(id))!.State);
        }

        // A quiet container: the next pass queues only its checkpoints, no work.
        var generation = await app.Services.GetRequiredService<ISearchIndex>().GetGenerationAsync(CancellationToken.None);
        Assert.Equal(new DrainResult(pages - 1, 0, 0), await app.ReconcileAsync());
        Assert.Equal(generation, await app.Services.GetRequiredService<ISearchIndex>().GetGenerationAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ATransientlyFailingBlobAndAMalformedMessageEndInThePoisonQueueAndTheRestIsDone()
    {
        FlakyEmbeddingGenerator? encoder = null;
        await using var app = Harness(azurite, services => services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
            SemanticSearchServiceKeys.UncachedEmbeddingGenerator,
            (_, _) => encoder = new FlakyEmbeddingGenerator(OnnxEmbeddingGenerator.Create())));
        await app.StartAsync();
        await app.UploadAsync("good.txt", Text(1));
        await app.UploadAsync("empty.txt", "");
        await app.ReconcileWork.SendMessageAsync("not a work item");

        // The encoder is throttled while the good blob's item runs: it fails, is retried, and lands in the poison queue.
        encoder!.Failing = true;
        var drained = await app.ReconcileAsync();

        Assert.Equal(2, drained.Poisoned);
        var poison = app.ReconcileWorkPoison;
        var parked = (await poison.ReceiveMessagesAsync(maxMessages: 10)).Value.Select(m => m.Body.ToString()).ToList();
        Assert.Contains("not a work item", parked);
        Assert.Contains(parked, m => m.StartsWith('{') && ReconcileWorkItem.Parse(m) is { Kind: ReconcileWorkItem.Ingest, Blob: "good.txt" });
        var good = (await app.StatusAsync("good.txt"))!;
        Assert.Equal(DocumentState.Failed, good.State);
        Assert.Equal("Failed: The encoder is throttled; retry later.", good.Error);
        // A rejected document is done on the first try (its status says why), never parked.
        Assert.StartsWith("Empty:", (await app.StatusAsync("empty.txt"))!.Error, StringComparison.Ordinal);

        // The next pass, with the encoder back, takes the failed blob again.
        encoder.Failing = false;
        await app.ReconcileAsync();
        Assert.Equal(["good.txt"], await app.SearchIdsAsync("zq1x"));
    }
}
