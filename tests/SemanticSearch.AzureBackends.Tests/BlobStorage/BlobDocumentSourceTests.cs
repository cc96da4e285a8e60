using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using SemanticSearch.AzureBackends.BlobStorage;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends.Tests.BlobStorage;

/// <summary>
/// What a blob container says of each document, against Azurite: version, modification time, the blob's URL (never a
/// SAS) and the metadata <c>tags</c> and <c>acl</c> — in listings, lookups and downloads, where the download's always
/// describe exactly the bytes it returns.
/// </summary>
[Collection(AzuriteGroup.Name)]
public sealed class BlobDocumentSourceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly BlobContainerClient _container = azurite.BlobService.GetBlobContainerClient(AzuriteFixture.NewContainerName());

    public Task InitializeAsync() => _container.CreateAsync();

    public Task DisposeAsync() => _container.DeleteIfExistsAsync();

    [Fact]
    public async Task ListingsLookupsAndDownloadsCarryTagsGroupsUrlVersionAndTime()
    {
        var blob = await UploadAsync("field/bees.md", "# Bees", new Dictionary<string, string>
        {
            // Keys in any case: Azure matches metadata keys without regard to it.
            ["Tags"] = "Bees, biology; Field Notes,,",
            ["ACL"] = "team-b , Team-A,team-b",
            ["author"] = "not read",
        });
        var properties = (await blob.GetPropertiesAsync()).Value;
        var source = new BlobDocumentSource(_container);

        var listed = Assert.Single(await ListAsync(source));
        var found = await source.FindAsync("field/bees.md", CancellationToken.None);
        await using var opened = await source.OpenAsync(listed, CancellationToken.None);

        foreach (var document in new[] { listed, found!, opened!.Document })
        {
            Assert.Equal("field/bees.md", document.Id);
            Assert.Equal(properties.ETag.ToString().Trim('"'), document.Version);
            Assert.Equal(properties.LastModified, document.ModifiedAt);
            Assert.Equal(blob.Uri.AbsoluteUri, document.Url);
            Assert.Equal(["bees", "biology", "field notes"], document.Tags);
            Assert.Equal(["Team-A", "team-b"], document.Acl);
        }
        Assert.Equal("# Bees", await new StreamReader(opened.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task ADownloadDescribesTheBytesItReadNotTheListingBeforeIt()
    {
        await UploadAsync("a.txt", "first", new Dictionary<string, string> { ["acl"] = "old-group" });
        var source = new BlobDocumentSource(_container);
        var listed = Assert.Single(await ListAsync(source));

        await UploadAsync("a.txt", "second", new Dictionary<string, string> { ["acl"] = "new-group", ["tags"] = "fresh" });
        await using var opened = await source.OpenAsync(listed, CancellationToken.None);

        Assert.Equal(["old-group"], listed.Acl);
        Assert.Equal(["new-group"], opened!.Document.Acl);
        Assert.Equal(["fresh"], opened.Document.Tags);
        Assert.NotEqual(listed.Version, opened.Document.Version);
        Assert.Equal("second", await new StreamReader(opened.Content).ReadToEndAsync());
    }

    [Fact]
    public async Task ABlobWithoutMetadataHasNoTagsOrGroupsButStillItsUrl()
    {
        var blob = await UploadAsync("plain.txt", "text", metadata: null);
        var source = new BlobDocumentSource(_container);

        var listed = Assert.Single(await ListAsync(source));

        Assert.Empty(listed.Tags);
        Assert.Empty(listed.Acl);
        Assert.Equal(blob.Uri.AbsoluteUri, listed.Url);
    }

    [Fact]
    public async Task AClientWithASasOpensTheBlobButItsTokenIsNeverTheUrl()
    {
        var blob = await UploadAsync("secret name.md", "# Secret", new Dictionary<string, string> { ["acl"] = "g" });
        var sas = blob.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddMinutes(5));
        var source = new BlobDocumentSource(_container);

        await using var opened = await source.OpenAsync(new BlobClient(sas), CancellationToken.None);

        Assert.Contains("sig=", sas.Query, StringComparison.Ordinal);
        Assert.Equal("secret name.md", opened!.Document.Id);
        Assert.Equal(blob.Uri.GetLeftPart(UriPartial.Path), opened.Document.Url);
        Assert.DoesNotContain("?", opened.Document.Url, StringComparison.Ordinal);
        Assert.Equal(["g"], opened.Document.Acl);
    }

    [Fact]
    public async Task ABlobOfAnotherContainerIsRefusedAndAMissingOneIsNull()
    {
        var source = new BlobDocumentSource(_container);

        await Assert.ThrowsAsync<ArgumentException>(() => source.OpenAsync(azurite.BlobService.GetBlobContainerClient("elsewhere").GetBlobClient("a.md"), CancellationToken.None));
        Assert.Null(await source.OpenAsync(_container.GetBlobClient("missing.md"), CancellationToken.None));
        Assert.Null(await source.FindAsync("missing.md", CancellationToken.None));
    }

    private async Task<BlobClient> UploadAsync(string name, string text, IDictionary<string, string>? metadata)
    {
        var blob = _container.GetBlobClient(name);
        await blob.UploadAsync(new BinaryData(text), new BlobUploadOptions { Metadata = metadata });
        return blob;
    }

    private static async Task<List<SourceDocument>> ListAsync(BlobDocumentSource source)
    {
        var documents = new List<SourceDocument>();
        await foreach (var document in source.ListAsync(CancellationToken.None))
        {
            documents.Add(document);
        }
        return documents;
    }
}
