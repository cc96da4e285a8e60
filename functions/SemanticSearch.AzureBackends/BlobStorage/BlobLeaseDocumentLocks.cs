using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using SemanticSearch.Chunking;
using SemanticSearch.Ingestion;

namespace SemanticSearch.AzureBackends.BlobStorage;

/// <summary>
/// Per-document locks shared by every instance of the app: a blob lease on one small lock blob per document (named by
/// the SHA-256 of the document id) in a container of the host's storage account (<c>document-locks</c>). The document
/// blobs themselves are never leased, so uploads are never blocked. A lease lasts 60 s and is renewed every 20 s while
/// held, so a holder that dies frees the document within a minute; waiting for a held lease retries with back-off up
/// to <see cref="MaxWait"/>, then fails with <see cref="TimeoutException"/> (a transient failure the host retries).
/// The lock blob and its container are created on first use.
/// </summary>
public sealed partial class BlobLeaseDocumentLocks(BlobContainerClient container, ILogger<BlobLeaseDocumentLocks> logger, TimeSpan? maxWait = null) : IDocumentLocks
{
    public const string DefaultContainerName = "document-locks";

    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    public TimeSpan MaxWait { get; } = maxWait ?? TimeSpan.FromMinutes(2);

    public BlobContainerClient Container => container;

    public async Task<IAsyncDisposable> AcquireAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var blob = container.GetBlobClient(ContentHash.Of(documentId));
        var lease = blob.GetBlobLeaseClient();
        var deadline = DateTimeOffset.UtcNow + MaxWait;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await lease.AcquireAsync(LeaseDuration, cancellationToken: cancellationToken).ConfigureAwait(false);
                return new Held(lease, documentId, logger);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await CreateLockBlobAsync(blob, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // LeaseAlreadyPresent: another ingestion of this document is writing; its lease is short.
                if (DateTimeOffset.UtcNow + delay > deadline)
                {
                    throw new TimeoutException($"The document '{documentId}' stayed locked by another ingestion for {MaxWait.TotalSeconds:F0} s; it is retried later.", ex);
                }
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    private async Task CreateLockBlobAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
        try
        {
            await blob.UploadAsync(BinaryData.Empty, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Created (and perhaps leased) by another instance meanwhile: fine.
        }
    }

    private sealed partial class Held : IAsyncDisposable
    {
        private readonly BlobLeaseClient _lease;
        private readonly string _documentId;
        private readonly ILogger _logger;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private int _released;

        public Held(BlobLeaseClient lease, string documentId, ILogger logger)
        {
            _lease = lease;
            _documentId = documentId;
            _logger = logger;
            _renewing = RenewAsync(_stop.Token);
        }

        private async Task RenewAsync(CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(RenewEvery, stop).ConfigureAwait(false);
                    await _lease.RenewAsync(cancellationToken: stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (RequestFailedException ex)
            {
                LogRenewFailed(_logger, ex, _documentId);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }
            await _stop.CancelAsync().ConfigureAwait(false);
            await _renewing.ConfigureAwait(false);
            _stop.Dispose();
            try
            {
                await _lease.ReleaseAsync().ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                // It expires on its own within a minute.
                LogReleaseFailed(_logger, ex, _documentId);
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lock of {DocumentId}; another ingestion may take it once it expires")]
        private static partial void LogRenewFailed(ILogger logger, Exception exception, string documentId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release the lock of {DocumentId}; it expires within a minute")]
        private static partial void LogReleaseFailed(ILogger logger, Exception exception, string documentId);
    }
}
