using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.AzureBackends.CosmosDB;
using SemanticSearch.Configuration;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends.Tests.CosmosDB;

[Collection(CosmosServerGroup.Name)]
public sealed class CosmosDocumentStatusStoreTests(CosmosServerFixture cosmos) : IDisposable
{
    private readonly CosmosClientFactory _clients = new(() => throw new InvalidOperationException("No credential in local tests."));
    private readonly CancellationToken _ct = CancellationToken.None;

    private CosmosDocumentStatusStore Create(CosmosContainerOptions options) =>
        new(new CosmosContainerConnection(_clients.GetClient(options), options, NullLogger.Instance), NullLogger<CosmosDocumentStatusStore>.Instance);

    [Fact]
    public async Task RoundTripsStatusesWhoseIdsHoldCharactersCosmosForbids()
    {
        var store = Create(cosmos.Container("documents"));
        var updated = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var status = DocumentStatus.Pending("reports/2024/q1?#\\final.pdf", updated, "abc", "model/384/chunk-256-0/r1", "\"0x8DC1\"").ToIndexed(12, 10, 2, updated);

        await store.SetAsync(status, _ct);

        Assert.Equal(status, await store.GetAsync(status.DocumentId, _ct));
    }

    [Fact]
    public async Task AMissingStatusIsNullNotAnError()
    {
        var store = Create(cosmos.Container("documents"));
        await store.SetAsync(DocumentStatus.Pending("other", DateTimeOffset.UtcNow, null, "p", null), _ct);

        Assert.Null(await store.GetAsync("never-seen", _ct));
    }

    [Fact]
    public async Task ListsEveryStatusAndRemovesIdempotently()
    {
        var store = Create(cosmos.Container("documents"));
        foreach (var id in new[] { "b.txt", "a/c.md", "a.txt" })
        {
            await store.SetAsync(DocumentStatus.Pending(id, DateTimeOffset.UtcNow, null, "p", null).ToFailed("Empty: no text", DateTimeOffset.UtcNow), _ct);
        }

        Assert.Equal(["a.txt", "a/c.md", "b.txt"], await IdsAsync(store));

        await store.RemoveAsync("a.txt", _ct);
        await store.RemoveAsync("a.txt", _ct);
        Assert.Equal(["a/c.md", "b.txt"], await IdsAsync(store));
        Assert.Equal("Empty: no text", (await store.GetAsync("b.txt", _ct))!.Error);
    }

    [Fact]
    public async Task SetOverwrites()
    {
        var store = Create(cosmos.Container("documents"));
        await store.SetAsync(DocumentStatus.Pending("d", DateTimeOffset.UtcNow, null, "p", null), _ct);
        await store.SetAsync(DocumentStatus.Pending("d", DateTimeOffset.UtcNow, null, "p", null).ToIndexed(3, 3, 0, DateTimeOffset.UtcNow), _ct);

        Assert.Equal(DocumentState.Indexed, (await store.GetAsync("d", _ct))!.State);
        Assert.Single(await IdsAsync(store));
    }

    [Fact]
    public async Task PagesConcatenateToTheWholeListingWithoutRepeatsOrGaps()
    {
        var store = Create(cosmos.Container("documents"));
        var ids = Enumerable.Range(0, 23).Select(i => $"folder/doc-{i:D2}.md").ToList();
        foreach (var id in ids)
        {
            await store.SetAsync(DocumentStatus.Pending(id, DateTimeOffset.UtcNow, null, "p", null), _ct);
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await store.ListAsync(5, token, _ct);
            Assert.InRange(page.Statuses.Count, 1, 5);
            seen.AddRange(page.Statuses.Select(s => s.DocumentId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(ids, seen.Order(StringComparer.Ordinal));
        Assert.Equal(5, pages);
        await Assert.ThrowsAsync<FormatException>(() => store.ListAsync(5, "not-a-token", _ct));
    }

    private async Task<List<string>> IdsAsync(CosmosDocumentStatusStore store)
    {
        var ids = new List<string>();
        await foreach (var status in store.ListAllAsync(_ct))
        {
            ids.Add(status.DocumentId);
        }
        return [.. ids.Order(StringComparer.Ordinal)];
    }

    public void Dispose() => _clients.Dispose();
}
