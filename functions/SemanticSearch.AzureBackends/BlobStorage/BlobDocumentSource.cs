using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using SemanticSearch.Ingestion;
using SemanticSearch.Sync;

namespace SemanticSearch.AzureBackends.BlobStorage;

/// <summary>
/// The documents of a blob container. A document's id is its blob name, '/' included, as a folder's document id is
/// its relative path; its version is the blob's ETag, so a listing tells which blobs changed without downloading them.
/// Each document also carries what the blob says of itself: its URL (without any SAS query) and the metadata
/// <c>tags</c> and <c>acl</c> (comma-separated lists; keys matched without regard to case, as Azure treats them).
/// </summary>
public sealed class BlobDocumentSource(BlobContainerClient container) : IDocumentSource
{
    /// <summary>The blob metadata key whose comma-separated value is the document's tags.</summary>
    public const string TagsMetadataKey = "tags";

    /// <summary>The blob metadata key whose comma-separated value lists the groups allowed to read the document.</summary>
    public const string AclMetadataKey = "acl";

    public BlobContainerClient Container => container;

    public string Description => $"blob container {container.Name}";

    /// <summary>Every blob of the container. A missing container is an error, never an empty listing: that would remove every document.</summary>
    public async IAsyncEnumerable<SourceDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // With their metadata, so a listing describes each document as fully as a download would.
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                Page<BlobItem> page;
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                    page = pages.Current;
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
                {
                    throw new InvalidOperationException(
                        $"The blob container '{container.Name}' does not exist (setting Documents:Container). Nothing was synced and no document was removed.", ex);
                }
                foreach (var item in page.Values)
                {
                    // A name ending in '/' is a folder marker (hierarchical namespace), not a document.
                    if (!item.Deleted && !item.Name.EndsWith('/'))
                    {
                        yield return Describe(container.GetBlobClient(item.Name), item.Properties.ETag, item.Properties.LastModified, item.Metadata);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One page of the container's listing (names in the service's sorted order) after <paramref name="continuationToken"/>
    /// (null: the first), for a reconcile that pages and can resume. <see cref="BlobListingPage.LastName"/> is the last
    /// name the page covers, folder markers included; null on an empty page.
    /// </summary>
    public async Task<BlobListingPage> ListPageAsync(string? continuationToken, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).AsPages(continuationToken, pageSize).GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            try
            {
                if (!await pages.MoveNextAsync().ConfigureAwait(false))
                {
                    return new BlobListingPage([], null, null);
                }
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
            {
                throw new InvalidOperationException(
                    $"The blob container '{container.Name}' does not exist (setting Documents:Container). Nothing was synced and no document was removed.", ex);
            }
            var page = pages.Current;
            var documents = page.Values
                .Where(item => !item.Deleted && !item.Name.EndsWith('/'))
                .Select(item => Describe(container.GetBlobClient(item.Name), item.Properties.ETag, item.Properties.LastModified, item.Metadata))
                .ToList();
            return new BlobListingPage(documents, page.Values.Count > 0 ? page.Values[^1].Name : null, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }
    }

    /// <summary>
    /// Downloads the blob as it is now, with the ETag, modification time and metadata of exactly these bytes (which may
    /// be newer than the listing's).
    /// </summary>
    public Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        return OpenAsync(container.GetBlobClient(document.Id), cancellationToken);
    }

    /// <summary>
    /// Downloads a blob of this container through a client the caller already holds (the one the blob trigger binds):
    /// one request gives the bytes and, from its response headers, the ETag, modification time and metadata that
    /// describe exactly them. Null when the blob no longer exists.
    /// </summary>
    public async Task<SourceContent?> OpenAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        if (!string.Equals(blob.BlobContainerName, container.Name, StringComparison.Ordinal))
        {
            // Its name would become a document id of this container's index.
            throw new ArgumentException($"The blob '{blob.Name}' is in container '{blob.BlobContainerName}', not '{container.Name}'.", nameof(blob));
        }
        try
        {
            var download = (await blob.DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var details = download.Details;
            return new SourceContent(Describe(blob, details.ETag, details.LastModified, details.Metadata), download.Content);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    public async Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var blob = container.GetBlobClient(documentId);
        try
        {
            var properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            return Describe(blob, properties.ETag, properties.LastModified, properties.Metadata);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>The URL a reader can open: the blob's address without its query, so a SAS token is never indexed.</summary>
    public static string UrlOf(BlobClient blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return blob.Uri.GetLeftPart(UriPartial.Path);
    }

    private static SourceDocument Describe(BlobClient blob, ETag? etag, DateTimeOffset? modified, IDictionary<string, string>? metadata) =>
        new(blob.Name, Stamp(etag), modified)
        {
            Url = UrlOf(blob),
            Tags = MetadataValues.Tags(MetadataValues.SplitTags(Metadata(metadata, TagsMetadataKey))),
            Acl = MetadataValues.Groups(MetadataValues.SplitGroups(Metadata(metadata, AclMetadataKey))),
        };

    /// <summary>A metadata value by key, whatever its case: Azure keeps the case it was given but matches keys without it.</summary>
    private static string? Metadata(IDictionary<string, string>? metadata, string key) =>
        metadata?.FirstOrDefault(entry => string.Equals(entry.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>An ETag as a version stamp: listings and downloads spell the same ETag with and without quotes.</summary>
    private static string? Stamp(ETag? etag) => etag?.ToString().Trim('"');
}

/// <summary>One page of a container listing: its documents, the last blob name it covers, and where the next page starts (null on the last).</summary>
public sealed record BlobListingPage(IReadOnlyList<SourceDocument> Documents, string? LastName, string? ContinuationToken);
