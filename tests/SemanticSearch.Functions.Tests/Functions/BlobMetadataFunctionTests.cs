using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Functions.Tests.Functions;

/// <summary>
/// The blob trigger indexes a blob with what the blob says of itself — metadata tags and acl, its URL, its
/// modification time — read in the same download as its bytes, united with what the file says (front matter); and
/// re-tagging a blob re-indexes it without re-embedding. The index here records what it is asked to store.
/// </summary>
[Collection(SharedAzurite.Name)]
public sealed class BlobMetadataFunctionTests(AzuriteFixture azurite)
{
    private const string Markdown = """
        ---
        title: Team notes
        tags: [Bees]
        acl: [authors]
        ---
        # Hives

        A colony keeps its hive near thirty-five degrees by fanning its wings.
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TheTriggerIndexesTheBlobsMetadataWithItsBytes(bool eventGrid)
    {
        var index = new RecordingSearchIndex();
        await using var app = Harness(index);
        await app.StartAsync();
        var blob = app.Container.GetBlobClient("team/notes.md");
        await blob.UploadAsync(new BinaryData(Markdown), new BlobUploadOptions
        {
            Metadata = new Dictionary<string, string> { ["tags"] = "Field Notes, biology", ["acl"] = "3f2504e0-4f89-11d3-9a0c-0305e82c3301" },
        });
        var properties = (await blob.GetPropertiesAsync()).Value;

        await app.IngestBlobAsync("team/notes.md", eventGrid);

        var chunk = Assert.Single(index.Chunks("team/notes.md"));
        Assert.Equal(
            new DocumentMetadata(
                "Team notes",
                "team/notes.md",
                blob.Uri.AbsoluteUri,
                "text/markdown",
                properties.LastModified,
                ["bees", "biology", "field notes"],
                ["3f2504e0-4f89-11d3-9a0c-0305e82c3301", "authors"]),
            chunk.Document);
        Assert.Equal(["Hives"], chunk.Headings);
        Assert.Equal(DocumentState.Indexed, (await app.StatusAsync("team/notes.md"))!.State);
    }

    [Fact]
    public async Task NewMetadataOnTheSameBytesReindexesAndTheSameMetadataDoesNot()
    {
        var index = new RecordingSearchIndex();
        await using var app = Harness(index);
        await app.StartAsync();
        var blob = app.Container.GetBlobClient("notes.md");
        await blob.UploadAsync(new BinaryData(Markdown), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["acl"] = "team-a" } });
        await app.IngestBlobAsync("notes.md");

        await blob.UploadAsync(new BinaryData(Markdown), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["acl"] = "team-a" } });
        await app.IngestBlobAsync("notes.md");
        Assert.Equal(1, index.Replacements["notes.md"]);

        await blob.SetMetadataAsync(new Dictionary<string, string> { ["acl"] = "team-b" });
        await app.IngestBlobAsync("notes.md");

        Assert.Equal(2, index.Replacements["notes.md"]);
        Assert.Equal(["authors", "team-b"], Assert.Single(index.Chunks("notes.md")).Document.Acl);
        Assert.Equal(0, (await app.StatusAsync("notes.md"))!.EmbeddingsComputed);
    }

    private FunctionsHarness Harness(RecordingSearchIndex index) => new(azurite)
    {
        ConfigureServices = services => services.AddKeyedSingleton<ISearchIndex>(IndexProvider.Embedded, index),
    };
}
