using Azure;
using Azure.Storage.Queues;

namespace SemanticSearch.Functions.Reconciliation;

/// <summary>
/// Sends to the <c>reconcile-work</c> queue of the host's storage account. Messages are Base64-encoded, as host.json's
/// <c>extensions.queues.messageEncoding</c> makes the queue trigger expect. The queue is created if missing (Azurite);
/// in Azure the template creates it, with its poison queue under the alerts.
/// </summary>
public sealed class ReconcileWorkSender(QueueClient queue)
{
    private int _exists;

    public QueueClient Queue => queue;

    public async Task SendAsync(ReconcileWorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            await queue.SendMessageAsync(item.ToJson(), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && Interlocked.Exchange(ref _exists, 1) == 0)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(item.ToJson(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends many, a few at a time.</summary>
    public Task SendAllAsync(IEnumerable<ReconcileWorkItem> items, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (item, token) => await SendAsync(item, token).ConfigureAwait(false));
}
