using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.Functions.Tests.Blobs;

/// <summary>The reconcile timer: the container and the index brought in line in both directions, through the function.</summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobReconcilerTests(AzuriteFixture azurite)
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";
    private const string Bread = "Sourdough bread rises because wild yeast and lactic acid bacteria ferment the flour over many hours.";
    private const string Volcano = "Volcanic eruptions eject ash and lava; pyroclastic flows race down the slopes at hundreds of kilometres per hour.";

    [Fact]
    public async Task RepairsMissedUploadsAndOrphansOfDeletedBlobs()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bread.txt", Bread);
        await app.IngestBlobAsync("bread.txt");
        await app.UploadAsync("volcano.txt", Volcano);
        await app.IngestBlobAsync("volcano.txt");
        // Events lost: an upload nobody ingested, a deletion nobody reported.
        await app.UploadAsync("nested/bees.md", Bees);
        await app.Container.GetBlobClient("volcano.txt").DeleteAsync();

        await app.ReconcileAsync();

        Assert.Equal(["nested/bees.md"], await app.SearchIdsAsync("waggle"));
        Assert.Empty(await app.SearchIdsAsync("pyroclastic"));
        Assert.Null(await app.StatusAsync("volcano.txt"));
        Assert.Equal(["bread.txt"], await app.SearchIdsAsync("sourdough"));
        var again = await ReconcileAsync(app);
        Assert.Empty(again.Results);
        Assert.Equal(2, again.UpToDate);
        Assert.Equal(0, again.Errors);
    }

    [Fact]
    public async Task LeavesUpToDateAndRejectedDocumentsAloneAndTakesChangedOnesAgain()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bread.txt", Bread);
        await app.UploadAsync("empty.txt", "");
        await ReconcileAsync(app);
        Assert.Equal(DocumentState.Failed, (await app.StatusAsync("empty.txt"))!.State);

        var quiet = await ReconcileAsync(app);
        Assert.Empty(quiet.Results);
        Assert.Equal(2, quiet.UpToDate);

        await Task.Delay(TimeSpan.FromSeconds(1.1)); // Last-Modified has one-second resolution.
        await app.UploadAsync("empty.txt", Bees);
        var changed = await ReconcileAsync(app);

        var result = Assert.Single(changed.Results);
        Assert.Equal(("empty.txt", IngestionOutcome.Indexed), (result.DocumentId, result.Outcome));
        Assert.Equal(["empty.txt"], await app.SearchIdsAsync("waggle"));
    }

    [Fact]
    public async Task ReingestsADocumentTheIndexLostAndOneWhoseIngestionWasInterrupted()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);
        await app.UploadAsync("bread.txt", Bread);
        await ReconcileAsync(app);
        var index = app.Services.GetRequiredService<SemanticSearch.Indexing.ISearchIndex>();
        await index.DeleteDocumentAsync("bees.md", CancellationToken.None);
        var statuses = app.Services.GetRequiredService<IDocumentStatusStore>();
        var bread = (await statuses.GetAsync("bread.txt", CancellationToken.None))!;
        await statuses.SetAsync(bread with { State = DocumentState.Pending }, CancellationToken.None);

        var summary = await ReconcileAsync(app);

        Assert.Equal(["bees.md", "bread.txt"], summary.Results.Select(r => r.DocumentId).Order(StringComparer.Ordinal));
        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
        Assert.Equal(DocumentState.Indexed, (await app.StatusAsync("bread.txt"))!.State);
    }

    [Fact]
    public async Task AMissingContainerFailsThePassAndRemovesNothing()
    {
        await using var app = new FunctionsHarness(azurite);
        await app.StartAsync();
        await app.UploadAsync("bees.md", Bees);
        await ReconcileAsync(app);
        await app.Container.DeleteAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReconcileAsync(app));

        Assert.Contains("Documents:Container", error.Message, StringComparison.Ordinal);
        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
    }

    [Theory]
    [InlineData("Empty: The document holds no text to index.", true)]
    [InlineData("TooLarge: The document is 5000 bytes; the limit is 4096 bytes.", true)]
    [InlineData("Failed: The encoder is throttled; retry later.", false)]
    [InlineData("Failed: Empty: nested", false)]
    [InlineData("Something: else", false)]
    [InlineData(null, false)]
    public void TellsRejectionsFromTransientFailures(string? error, bool rejection)
    {
        Assert.Equal(rejection, IngestionError.IsRejection(error));
    }

    /// <summary>A pass through the reconciler itself, whose summary says what it did (the function returns nothing).</summary>
    private static Task<SyncSummary> ReconcileAsync(FunctionsHarness app) =>
        app.Services.GetRequiredService<BlobIngestion>().ReconcileAsync(CancellationToken.None);
}
