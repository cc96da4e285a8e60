using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;

namespace SemanticSearch.Ingestion;

/// <summary>
/// The ingestor's commit: a prepared document's chunks are embedded (outside any lock), then replaced in the index,
/// made durable and recorded indexed under the document's lock. A batch takes its documents' locks in id order, flushes
/// the index once, and records every document before it releases them.
/// </summary>
public sealed partial class DocumentIngestor
{
    /// <summary>Embeds and commits one prepared document; a failure is recorded, then thrown.</summary>
    private async Task<IngestionResult> EmbedAndCommitAsync(PreparedDocument prepared, CancellationToken cancellationToken)
    {
        if (prepared.Result is { } finished)
        {
            return finished;
        }
        try
        {
            var embedded = await _embedder.EmbedAsync([prepared], cancellationToken).ConfigureAwait(false);
            return await CommitAsync(prepared, embedded[0], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(prepared, ex).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Embeds the batch together, replaces each document under its lock, flushes the index once and then records each as
    /// indexed before the locks are released; when the shared embedding call fails, each document is embedded alone so
    /// one cannot fail the rest. Embedding happens before any lock is taken.
    /// </summary>
    private async Task<IReadOnlyList<IngestionResult>> TryCommitManyAsync(IReadOnlyList<PreparedDocument> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return [];
        }
        var results = new IngestionResult?[documents.Count];
        var embedded = await EmbedEachAsync(documents, results, cancellationToken).ConfigureAwait(false);
        var replaced = new List<(int Index, IndexChange Change, IAsyncDisposable Held)>(documents.Count);
        try
        {
            // Locks are taken in document-id order, so two instances committing overlapping batches never wait on each
            // other in a cycle.
            foreach (var i in Enumerable.Range(0, documents.Count)
                .Where(i => embedded[i] is not null)
                .OrderBy(i => documents[i].Status.DocumentId, StringComparer.Ordinal))
            {
                var document = documents[i];
                IAsyncDisposable? held = null;
                try
                {
                    (held, var done) = await LockUnlessCurrentAsync(document.Status, document.Started, cancellationToken).ConfigureAwait(false);
                    if (done is not null)
                    {
                        results[i] = Finish(done);
                        continue;
                    }
                    var change = await _index.ReplaceDocumentAsync(document.Status.DocumentId, embedded[i]!.Chunks, cancellationToken).ConfigureAwait(false);
                    replaced.Add((i, change, held!));
                    held = null;
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not IndexLockedException)
                {
                    // Recording the failure takes the document's lock again: let go of it first.
                    await ReleaseAsync(held).ConfigureAwait(false);
                    held = null;
                    results[i] = await FailedAsync(document, ex).ConfigureAwait(false);
                }
                finally
                {
                    await ReleaseAsync(held).ConfigureAwait(false);
                }
            }

            // One flush for the batch, and only then are its documents recorded as indexed: a crash before it leaves
            // them pending, and the next sync redoes them.
            Exception? flushFailure = null;
            try
            {
                await _index.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                flushFailure = ex;
            }
            foreach (var (i, change, held) in replaced)
            {
                try
                {
                    if (flushFailure is not null)
                    {
                        throw flushFailure;
                    }
                    results[i] = await RecordIndexedAsync(documents[i], embedded[i]!, change, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Recording the failure takes the document's lock again.
                    await held.DisposeAsync().ConfigureAwait(false);
                    results[i] = await FailedAsync(documents[i], ex).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            foreach (var (_, _, held) in replaced)
            {
                await held.DisposeAsync().ConfigureAwait(false);
            }
        }
        return [.. results.Select(r => r!)];
    }

    /// <summary>Embeds the batch in one call, or each document alone when that fails; a document whose embedding fails gets its failed result instead.</summary>
    private async Task<EmbeddedChunks?[]> EmbedEachAsync(IReadOnlyList<PreparedDocument> documents, IngestionResult?[] results, CancellationToken cancellationToken)
    {
        var embedded = new EmbeddedChunks?[documents.Count];
        if (documents.Count > 1)
        {
            try
            {
                var together = await _embedder.EmbedAsync(documents, cancellationToken).ConfigureAwait(false);
                return [.. together];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(_logger, ex, documents.Count);
            }
        }
        for (var i = 0; i < documents.Count; i++)
        {
            try
            {
                embedded[i] = (await _embedder.EmbedAsync([documents[i]], cancellationToken).ConfigureAwait(false))[0];
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                results[i] = await FailedAsync(documents[i], ex).ConfigureAwait(false);
            }
        }
        return embedded;
    }

    private static ValueTask ReleaseAsync(IAsyncDisposable? held) => held?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task<IngestionResult> FailedAsync(PreparedDocument document, Exception exception)
    {
        await FailAsync(document, exception).ConfigureAwait(false);
        return FailedResult(document.Status.DocumentId, exception, document.Started);
    }

    /// <summary>
    /// Replaces one document's chunks, flushes the index and records it indexed, under the document's lock: unless a
    /// newer version was recorded meanwhile (then this older one is dropped) or these same bytes were indexed by a
    /// duplicate delivery (then there is nothing to do).
    /// </summary>
    private async Task<IngestionResult> CommitAsync(PreparedDocument document, EmbeddedChunks embedded, CancellationToken cancellationToken)
    {
        var (held, done) = await LockUnlessCurrentAsync(document.Status, document.Started, cancellationToken).ConfigureAwait(false);
        if (done is not null)
        {
            return Finish(done);
        }
        await using (held!.ConfigureAwait(false))
        {
            var change = await _index.ReplaceDocumentAsync(document.Status.DocumentId, embedded.Chunks, cancellationToken).ConfigureAwait(false);
            await _index.FlushAsync(cancellationToken).ConfigureAwait(false);
            return await RecordIndexedAsync(document, embedded, change, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IngestionResult> RecordIndexedAsync(PreparedDocument document, EmbeddedChunks embedded, IndexChange change, CancellationToken cancellationToken)
    {
        var documentId = document.Status.DocumentId;
        await _statuses.SetAsync(document.Status.ToIndexed(embedded.Chunks.Count, embedded.Computed, embedded.Reused, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        LogIndexed(_logger, documentId, embedded.Chunks.Count, embedded.Computed, embedded.Reused, change.ChunksAdded, change.ChunksRemoved, change.Generation);
        return Finish(new IngestionResult(documentId, IngestionOutcome.Indexed, embedded.Chunks.Count, embedded.Computed, embedded.Reused, null, Stopwatch.GetElapsedTime(document.Started)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding a batch of {Documents} documents failed; trying each on its own")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int documents);
}
