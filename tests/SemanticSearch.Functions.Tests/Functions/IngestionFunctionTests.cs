using System.Diagnostics;
using System.Text;
using Azure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Embedded.Onnx;
using SemanticSearch.Ingestion;
using Xunit.Abstractions;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// The ingestion functions called as the worker calls them after binding: a blob stream opened from Azurite, an Event
/// Grid BlobDeleted message from the queue, a timer tick. Real encoder, real embedded index.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class IngestionFunctionTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";
    private const string Volcano = "Volcanic eruptions eject ash and lava; pyroclastic flows race down the slopes at hundreds of kilometres per hour.";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUploadedBlobBecomesSearchableAndItsDeletionEventRemovesIt(bool eventGrid)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        var started = stopwatch.Elapsed;
        await app.UploadAsync("nature/bees.md", "# Bees\n\n" + Bees);
        await app.UploadAsync("volcano.txt", Volcano);

        await app.IngestBlobAsync("nature/bees.md", eventGrid);
        await app.IngestBlobAsync("volcano.txt", eventGrid);
        var ingested = stopwatch.Elapsed;

        Assert.Equal(["nature/bees.md"], await app.SearchIdsAsync("waggle"));
        var status = (await app.StatusAsync("nature/bees.md"))!;
        Assert.Equal(DocumentState.Indexed, status.State);
        Assert.Equal(1, status.Chunks);
        var hybrid = await app.SearchIdsAsync("how do insects tell each other where food is", mode: "hybrid");
        Assert.Equal("nature/bees.md", hybrid[0]);

        var blob = app.Container.GetBlobClient("nature/bees.md");
        await blob.DeleteAsync();
        await app.Function<BlobIngestionFunctions>().RemoveDeletedBlob(EventGridEvents.BlobDeleted(blob.Uri, app.ContainerName, "nature/bees.md"), CancellationToken.None);

        Assert.Empty(await app.SearchIdsAsync("waggle"));
        Assert.Null(await app.StatusAsync("nature/bees.md"));
        Assert.Equal(["volcano.txt"], await app.SearchIdsAsync("pyroclastic"));
        output.WriteLine($"host start {started.TotalSeconds:F2} s, two blobs ingested {(ingested - started).TotalSeconds:F2} s, whole round trip {stopwatch.Elapsed.TotalSeconds:F2} s");
    }

    [Fact]
    public async Task ReuploadingTheSameBytesChangesNothingAndAnEditReplacesTheText()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("notes.txt", Bees);
        await app.IngestBlobAsync("notes.txt");
        var first = (await app.StatusAsync("notes.txt"))!;

        await app.UploadAsync("notes.txt", Bees);
        await app.IngestBlobAsync("notes.txt");
        // Only the version stamp moves (a re-upload is a new ETag); nothing was processed again.
        var again = (await app.StatusAsync("notes.txt"))!;
        Assert.Equal(first with { SourceVersion = null, SourceModifiedAt = null }, again with { SourceVersion = null, SourceModifiedAt = null });
        Assert.NotEqual(first.SourceVersion, again.SourceVersion);
        Assert.NotNull(again.SourceVersion);

        await app.UploadAsync("notes.txt", Volcano);
        await app.IngestBlobAsync("notes.txt");
        Assert.Empty(await app.SearchIdsAsync("waggle"));
        Assert.Equal(["notes.txt"], await app.SearchIdsAsync("pyroclastic"));
    }

    [Fact]
    public async Task BadUploadsCompleteAsFailedWithTheirReasonAndTheAppKeepsGoing()
    {
        await using var app = new FunctionsHarness(azurite);
        app.Settings["Ingestion:MaxDocumentBytes"] = "4096";
        await app.StartAsync();
        var uploads = new Dictionary<string, (byte[] Bytes, string Reason)>
        {
            ["empty.txt"] = ([], "Empty"),
            ["corrupt.pdf"] = (Encoding.ASCII.GetBytes("%PDF-1.7\nxylophone this is not really a pdf at all" + new string('\0', 64)), "Corrupt"),
            ["garbage.md"] = ([.. Enumerable.Range(0, 2048).Select(i => (byte)(i * 7919 % 256))], "Binary"),
            ["oversized.txt"] = (Encoding.UTF8.GetBytes(string.Join(' ', Enumerable.Repeat("xylophone", 1000))), "TooLarge"),
        };
        foreach (var (name, (bytes, _)) in uploads)
        {
            await app.UploadAsync(name, bytes);
            // Returns normally: no exception, so the host neither retries it nor writes it to the poison queue.
            await app.IngestBlobAsync(name);
        }
        await app.UploadAsync("good.txt", "The xylophone is a percussion instrument with wooden bars struck by mallets.");
        await app.IngestBlobAsync("good.txt");

        foreach (var (name, (_, reason)) in uploads)
        {
            var status = (await app.StatusAsync(name))!;
            Assert.Equal(DocumentState.Failed, status.State);
            Assert.StartsWith(reason + ":", status.Error, StringComparison.Ordinal);
            Assert.Equal(0, status.Chunks);
        }
        Assert.Equal(["good.txt"], await app.SearchIdsAsync("xylophone"));
        var listed = await app.HttpAsync((f, r) => f.ListDocuments(r));
        Assert.Equal(
            ["corrupt.pdf", "empty.txt", "garbage.md", "good.txt", "oversized.txt"],
            listed.Body.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("documentId").GetString()));
        Assert.Equal(200, (await app.HttpAsync((f, r) => f.Health(r))).Status);
    }

    [Fact]
    public async Task ATransientFailureThrowsForTheHostToRetryAndLeavesTheLastErrorInTheStatus()
    {
        FlakyEmbeddingGenerator? encoder = null;
        await using var app = new FunctionsHarness(azurite)
        {
            ConfigureServices = services => services.AddKeyedSingleton<IEmbeddingGenerator<string, Embedding<float>>>(
                SemanticSearchServiceKeys.UncachedEmbeddingGenerator,
                (_, _) => encoder = new FlakyEmbeddingGenerator(OnnxEmbeddingGenerator.Create())),
        };
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);
        encoder!.Failing = true;

        // The host runs a failing blob up to poisonBlobThreshold (5) times, then writes it to webjobs-blobtrigger-poison.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var error = await Assert.ThrowsAsync<RequestFailedException>(() => app.IngestBlobAsync("bees.md"));
            Assert.Equal(429, error.Status);
            var status = (await app.StatusAsync("bees.md"))!;
            Assert.Equal(DocumentState.Failed, status.State);
            Assert.Equal("Failed: The encoder is throttled; retry later.", status.Error);
        }
        Assert.Empty(await app.SearchIdsAsync("waggle"));

        // Once the service recovers, the reconcile timer retries what failed transiently.
        encoder.Failing = false;
        await app.ReconcileAsync();

        Assert.Equal(DocumentState.Indexed, (await app.StatusAsync("bees.md"))!.State);
        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
    }

    [Fact]
    public async Task ALateDeletionEventDoesNotRemoveABlobThatWasUploadedAgain()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);
        await app.IngestBlobAsync("bees.md");
        var blob = app.Container.GetBlobClient("bees.md");
        var deleted = EventGridEvents.BlobDeleted(blob.Uri, app.ContainerName, "bees.md");
        await blob.DeleteAsync();
        await app.UploadAsync("bees.md", Bees);

        await app.Function<BlobIngestionFunctions>().RemoveDeletedBlob(deleted, CancellationToken.None);

        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
    }

    [Fact]
    public async Task DeletionEventsOfOtherContainersOrOtherTypesAreIgnored()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);
        await app.IngestBlobAsync("bees.md");
        var functions = app.Function<BlobIngestionFunctions>();
        var blob = app.Container.GetBlobClient("bees.md");
        await blob.DeleteAsync();

        await functions.RemoveDeletedBlob(EventGridEvents.BlobDeleted(new Uri("https://stsearch.blob.core.windows.net/archive/bees.md"), "archive", "bees.md"), CancellationToken.None);
        await functions.RemoveDeletedBlob(EventGridEvents.BlobCreated(blob.Uri, app.ContainerName, "bees.md"), CancellationToken.None);
        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));

        // The queue trigger normally hands over decoded text; a message that is still base64 works as well.
        await functions.RemoveDeletedBlob(EventGridEvents.Base64(EventGridEvents.BlobDeleted(blob.Uri, app.ContainerName, "bees.md")), CancellationToken.None);
        Assert.Empty(await app.SearchIdsAsync("waggle"));
    }

    [Fact]
    public async Task WithoutAReconcileScheduleTheWorkerStillStartsAndSaysWhatIsMissing()
    {
        await using var app = new FunctionsHarness(azurite);
        app.Settings.Remove("Reconcile:Schedule");
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);

        await app.IngestBlobAsync("bees.md");

        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
        Assert.Contains(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Message.Contains("Reconcile__Schedule is not set", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMalformedQueueMessageThrowsSoItEndsInThePoisonQueue()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();

        await Assert.ThrowsAsync<FormatException>(() => app.Function<BlobIngestionFunctions>().RemoveDeletedBlob("this is not an event", CancellationToken.None));
    }
}
