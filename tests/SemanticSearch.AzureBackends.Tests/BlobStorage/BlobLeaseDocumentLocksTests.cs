using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.AzureBackends.BlobStorage;

namespace SemanticSearch.AzureBackends.Tests.BlobStorage;

/// <summary>
/// The per-document lock every instance of the Functions app shares, against Azurite: two lock objects over the same
/// container stand for two instances. One document's holder excludes the other instance until it releases; other
/// documents are not blocked; a wait is bounded and ends in a transient <see cref="TimeoutException"/>.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class BlobLeaseDocumentLocksTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly BlobContainerClient _container = azurite.BlobService.GetBlobContainerClient(AzuriteFixture.NewContainerName());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _container.DeleteIfExistsAsync();

    private BlobLeaseDocumentLocks Instance(TimeSpan? maxWait = null) => new(_container, NullLogger<BlobLeaseDocumentLocks>.Instance, maxWait);

    [Fact]
    public async Task AHeldDocumentWaitsOnAnotherInstanceUntilReleasedWhileOtherDocumentsGoAhead()
    {
        var first = Instance();
        var second = Instance();

        // The container does not exist yet: the first acquisition creates it and the lock blob.
        var held = await first.AcquireAsync("folder/lighthouse.txt", CancellationToken.None);
        var waiting = second.AcquireAsync("folder/lighthouse.txt", CancellationToken.None);
        await using (await second.AcquireAsync("folder/other.txt", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
        {
            await Task.Delay(500);
            Assert.False(waiting.IsCompleted, "another instance's holder excludes this one");
        }

        await held.DisposeAsync();
        await using (await waiting.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.True(await _container.ExistsAsync());
        }
        await held.DisposeAsync(); // releasing twice is harmless
    }

    [Fact]
    public async Task AWaitIsBoundedAndFailsAsATransientTimeout()
    {
        await using var held = await Instance().AcquireAsync("busy.md", CancellationToken.None);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Instance(TimeSpan.FromSeconds(1)).AcquireAsync("busy.md", CancellationToken.None));

        Assert.Contains("busy.md", error.Message, StringComparison.Ordinal);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Instance().AcquireAsync("busy.md", cancel.Token));
    }
}
