using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Configuration;

/// <summary>
/// Minutes after <c>azd up</c> the app's role assignments may not have reached Cosmos DB or Azure AI Search yet: opening
/// the index answers 403. The worker must keep running, say so on <c>/api/health</c>, and heal on its own once access
/// arrives; an index built by another embedding model stays a clear refusal on every call, never a crash loop.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class StartupResilienceTests(AzuriteFixture azurite)
{
    private const string Bees = "Honeybees navigate using the position of the sun and communicate the direction of flowers with a waggle dance.";

    [Fact]
    public async Task A403WhileOpeningTheIndexIsLoggedReportedByHealthAndHealsOnItsOwn()
    {
        FailingInitializationIndex? index = null;
        await using var app = new FunctionsHarness(azurite) { ConfigureServices = services => FailingInitializationIndex.Replace(services, i => index = i) };

        await app.StartAsync();

        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("not authorized", StringComparison.Ordinal));
        var unhealthy = await app.HttpAsync((f, r) => f.Health(r));
        Assert.Equal(503, unhealthy.Status);
        Assert.Equal("unhealthy", unhealthy.Body.GetProperty("status").GetString());
        Assert.Contains("not authorized", unhealthy.Body.GetProperty("error").GetString(), StringComparison.Ordinal);

        // The role assignment arrives: the next call opens the index, nothing restarts.
        index!.Failure = null;
        Assert.Equal(200, (await app.HttpAsync((f, r) => f.Health(r))).Status);
        await app.UploadAsync("bees.md", Bees);
        await app.IngestBlobAsync("bees.md", eventGrid: true);
        Assert.Equal(["bees.md"], await app.SearchIdsAsync("waggle"));
    }

    [Fact]
    public async Task AnIndexOfAnotherEmbeddingModelRefusesEveryCallWithItsReasonWithoutStoppingTheWorker()
    {
        var mismatch = new VectorSpaceMismatchException(new VectorSpace("text-embedding-3-small", 1536), new VectorSpace("all-MiniLM-L6-v2", 384));
        await using var app = new FunctionsHarness(azurite) { ConfigureServices = services => FailingInitializationIndex.Replace(services, i => i.Failure = mismatch) };

        await app.StartAsync();

        Assert.Contains(app.Logs.Entries, e => e.Level >= LogLevel.Error && e.Message.Contains("text-embedding-3-small", StringComparison.Ordinal));
        var health = await app.HttpAsync((f, r) => f.Health(r));
        Assert.Equal(503, health.Status);
        Assert.Contains("text-embedding-3-small", health.Body.GetProperty("error").GetString(), StringComparison.Ordinal);

        var search = await app.HttpAsync((f, r) => f.Search(r), query: "?q=bees&mode=keyword");
        Assert.Equal(503, search.Status);
        Assert.Contains("text-embedding-3-small", search.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await app.UploadAsync("bees.md", Bees);
        var error = await Assert.ThrowsAsync<VectorSpaceMismatchException>(() => app.IngestBlobAsync("bees.md", eventGrid: true));
        Assert.Contains("text-embedding-3-small", error.Message, StringComparison.Ordinal);
        var status = (await app.StatusAsync("bees.md"))!;
        Assert.Equal(DocumentState.Failed, status.State);
        Assert.Contains("text-embedding-3-small", status.Error, StringComparison.Ordinal);
    }
}
