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
/// </summary>
public sealed class BlobDocumentSource(BlobContainerClient container) : IDocumentSource
{
    public BlobContainerClient Container => container;

    public string Description => $"blob container {container.Name}";

    /// <summary>Every blob of the container. A missing container is an error, never an empty listing: that would remove every document.</summary>
    public async IAsyncEnumerable<SourceDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(new GetBlobsOptions(), cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
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
                        yield return new SourceDocument(item.Name, Stamp(item.Properties.ETag), item.Properties.LastModified);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Downloads the blob as it is now, with the ETag and modification time of exactly these bytes (which may be newer
    /// than the listing's).
    /// </summary>
    public async Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        try
        {
            var download = (await container.GetBlobClient(document.Id).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var opened = document with { Version = Stamp(download.Details.ETag), ModifiedAt = download.Details.LastModified };
            return new SourceContent(opened, download.Content);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.BlobNotFound)
        {
            return null;
        }
    }

    public async Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        try
        {
            var properties = await container.GetBlobClient(documentId).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SourceDocument(documentId, Stamp(properties.Value.ETag), properties.Value.LastModified);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>An ETag as a version stamp: listings and downloads spell the same ETag with and without quotes.</summary>
    private static string? Stamp(ETag? etag) => etag?.ToString().Trim('"');
}
