using System.Runtime.CompilerServices;

namespace SemanticSearch.Ingestion;

public static class DocumentStatusStoreExtensions
{
    /// <summary>Statuses read per page when a caller wants them all (a sync).</summary>
    public const int ListPageSize = 1000;

    /// <summary>Every status, page by page, so a store of any size is read in bounded requests.</summary>
    public static async IAsyncEnumerable<DocumentStatus> ListAllAsync(this IDocumentStatusStore store, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? token = null;
        do
        {
            var page = await store.ListAsync(ListPageSize, token, cancellationToken).ConfigureAwait(false);
            foreach (var status in page.Statuses)
            {
                yield return status;
            }
            token = page.ContinuationToken;
        }
        while (token is not null);
    }
}
