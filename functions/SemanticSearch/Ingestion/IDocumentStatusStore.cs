using System.Runtime.CompilerServices;
using SemanticSearch.Sync;

namespace SemanticSearch.Ingestion;

/// <summary>Where each document's last ingestion outcome is kept (SQLite in the data folder; shared storage in Azure).</summary>
public interface IDocumentStatusStore
{
    string Name { get; }

    Task<DocumentStatus?> GetAsync(string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// One page of statuses: at most <paramref name="top"/>, after the page <paramref name="continuationToken"/> ended
    /// (null for the first). The token of the returned page is null on the last one. Pages never repeat or skip a
    /// document that exists throughout the listing.
    /// </summary>
    /// <exception cref="FormatException">The continuation token was not made by this store.</exception>
    Task<DocumentStatusPage> ListAsync(int top, string? continuationToken, CancellationToken cancellationToken);

    Task SetAsync(DocumentStatus status, CancellationToken cancellationToken);

    Task RemoveAsync(string documentId, CancellationToken cancellationToken);

    /// <summary>
    /// Every status whose document id lies in <paramref name="range"/>, in no particular order, read in bounded
    /// requests however many there are. The default reads every status and keeps those in range; stores that can ask
    /// for a range do so.
    /// </summary>
    async IAsyncEnumerable<DocumentStatus> ListRangeAsync(DocumentIdRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        await foreach (var status in this.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (range.Contains(status.DocumentId))
            {
                yield return status;
            }
        }
    }
}
