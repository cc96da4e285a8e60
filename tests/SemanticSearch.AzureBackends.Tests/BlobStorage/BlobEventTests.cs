using SemanticSearch.AzureBackends.BlobStorage;

namespace SemanticSearch.AzureBackends.Tests.BlobStorage;

public sealed class BlobEventTests
{
    private static readonly Uri AzureBlob = new("https://stsearch.blob.core.windows.net/documents/reports/2025/q1%20summary.pdf");

    [Fact]
    public void ReadsABlobDeletedEventInTheEventGridSchema()
    {
        var blobEvent = Assert.Single(BlobEvent.Parse(EventGridEvents.BlobDeleted(AzureBlob, "documents", "reports/2025/q1 summary.pdf")));

        Assert.Equal("Microsoft.Storage.BlobDeleted", blobEvent.EventType);
        Assert.True(blobEvent.IsDeletion);
        Assert.Equal("documents", blobEvent.ContainerName);
        Assert.Equal("reports/2025/q1 summary.pdf", blobEvent.BlobName);
    }

    [Fact]
    public void ReadsTheSameEventWhenTheQueueMessageIsStillBase64()
    {
        var message = EventGridEvents.Base64(EventGridEvents.BlobDeleted(AzureBlob, "documents", "reports/2025/q1 summary.pdf"));

        Assert.Equal("reports/2025/q1 summary.pdf", Assert.Single(BlobEvent.Parse(message)).BlobName);
    }

    [Fact]
    public void ReadsAzuriteAddressesWhereTheAccountIsInThePath()
    {
        var message = EventGridEvents.BlobDeleted(new Uri("http://127.0.0.1:10000/devstoreaccount1/documents/a/b%2Bc.txt"), "documents", "a/b+c.txt");

        var blobEvent = Assert.Single(BlobEvent.Parse(message));

        Assert.Equal("documents", blobEvent.ContainerName);
        Assert.Equal("a/b+c.txt", blobEvent.BlobName);
    }

    [Fact]
    public void ReadsTheCloudEventsSchemaAndArraysOfEvents()
    {
        const string Message = """
            [{
              "specversion": "1.0",
              "type": "Microsoft.Storage.BlobDeleted",
              "source": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stsearch",
              "subject": "/blobServices/default/containers/documents/blobs/notes/today.md",
              "id": "1",
              "data": { "api": "DeleteBlob", "blobType": "BlockBlob" }
            },
            {
              "specversion": "1.0",
              "type": "Microsoft.Storage.BlobCreated",
              "source": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stsearch",
              "subject": "/blobServices/default/containers/documents/blobs/notes/tomorrow.md",
              "id": "2",
              "data": { "api": "PutBlob", "url": "https://stsearch.blob.core.windows.net/documents/notes/tomorrow.md" }
            }]
            """;

        var events = BlobEvent.Parse(Message);

        Assert.Equal(2, events.Count);
        Assert.Equal(("Microsoft.Storage.BlobDeleted", "documents", "notes/today.md"), (events[0].EventType, events[0].ContainerName, events[0].BlobName));
        Assert.False(events[1].IsDeletion);
        Assert.Equal("notes/tomorrow.md", events[1].BlobName);
    }

    [Fact]
    public void KeepsEventsOfOtherServicesWithoutABlob()
    {
        var blobEvent = Assert.Single(BlobEvent.Parse("""{"eventType": "Microsoft.Resources.ResourceWriteSuccess", "subject": "/subscriptions/0", "data": {}}"""));

        Assert.Null(blobEvent.BlobName);
        Assert.False(blobEvent.IsDeletion);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json, not base64!")]
    [InlineData("{\"eventType\": ")]
    [InlineData("{\"subject\": \"/blobServices/default/containers/documents/blobs/a.txt\"}")]
    [InlineData("{\"eventType\": \"Microsoft.Storage.BlobDeleted\", \"subject\": \"/somewhere/else\", \"data\": {}}")]
    [InlineData("[42]")]
    public void RejectsMessagesThatAreNotBlobEvents(string message)
    {
        Assert.Throws<FormatException>(() => BlobEvent.Parse(message));
    }
}
