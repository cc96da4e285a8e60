using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Chunking;
using SemanticSearch.Configuration;
using SemanticSearch.Diagnostics;
using SemanticSearch.Embeddings;
using SemanticSearch.Extraction;
using SemanticSearch.Indexing;
using SemanticSearch.Sync;

namespace SemanticSearch.Ingestion;

/// <summary>
/// The ingestion flow every host uses: read (bounded) → skip if these exact bytes are already indexed → extract →
/// chunk → embed through the cache → replace the document's chunks in one atomic step → record the outcome. A rejected
/// document (bad input) loses its old chunks too and ends <c>failed</c> with the reason, so nothing of it stays
/// searchable. Any other failure is recorded and, for a single document, rethrown for the host to retry; since every
/// step is idempotent, running the same document again — after a crash, a retry or a duplicate event — repairs it.
/// </summary>
/// <remarks>
/// <see cref="IngestManyAsync"/> embeds the chunks of several documents in one call (full encoder batches instead of
/// one or two chunks a call for short documents) while every document is still replaced and recorded on its own.
/// </remarks>
public sealed partial class DocumentIngestor
{
    /// <summary>Bump when extraction or chunking changes output for the same bytes, so such documents are redone.</summary>
    /// <remarks>3: chunks carry their document's metadata, heading path and page, and a PDF page break ends a chunk.</remarks>
    private const int ProcessingRevision = 3;

    private readonly DocumentExtractor _extractor;
    private readonly Chunker _chunker;
    private readonly ChunkEmbedder _embedder;
    private readonly ISearchIndex _index;
    private readonly IDocumentStatusStore _statuses;
    private readonly IDocumentLocks _locks;
    private readonly SemanticSearchMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _batchDocuments;

    public DocumentIngestor(
        DocumentExtractor extractor,
        Chunker chunker,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        ISearchIndex index,
        IDocumentStatusStore statuses,
        IDocumentLocks locks,
        IOptions<ChunkingOptions> chunking,
        IOptions<IngestionOptions> ingestion,
        SemanticSearchMetrics metrics,
        TimeProvider time,
        ILogger<DocumentIngestor> logger)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(chunking);
        ArgumentNullException.ThrowIfNull(ingestion);
        _extractor = extractor;
        _chunker = chunker;
        _embedder = new ChunkEmbedder(generator);
        _index = index;
        _statuses = statuses;
        _locks = locks;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _batchDocuments = ingestion.Value.BatchDocuments;
        var space = VectorSpace.Of(generator.GetService<EmbeddingGeneratorMetadata>()
            ?? throw new ArgumentException("The embedding generator does not describe itself.", nameof(generator)));
        PipelineVersion = string.Create(CultureInfo.InvariantCulture,
            $"{space.ModelId}/{space.Dimensions}/chunk-{chunking.Value.MaxTokens}-{chunking.Value.OverlapTokens}/r{ProcessingRevision}");
    }

    /// <summary>What extracts, chunks and embeds documents now; a status with another one is out of date.</summary>
    public string PipelineVersion { get; }

    /// <summary>Ingests one document whose source gave no version.</summary>
    public Task<IngestionResult> IngestAsync(string documentId, Stream content, CancellationToken cancellationToken) =>
        IngestAsync(new SourceDocument(documentId), content, cancellationToken);

    /// <summary>
    /// Ingests one document. Bad input comes back as <see cref="IngestionOutcome.Failed"/> (recorded, not worth a
    /// retry); any other failure is recorded and thrown, so the host retries it.
    /// </summary>
    public async Task<IngestionResult> IngestAsync(SourceDocument source, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(content);
        var prepared = await PrepareAsync(source, content, Stopwatch.GetTimestamp(), cancellationToken).ConfigureAwait(false);
        return await EmbedAndCommitAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ingests one document as its source opens it now, with what the source says of exactly those bytes (a blob
    /// trigger: bytes, metadata and version from one download). An unsupported type is refused before it is opened; a
    /// document the source no longer has is removed. Bad input comes back as <see cref="IngestionOutcome.Failed"/>;
    /// any other failure, opening included, is recorded and thrown, so the host retries it.
    /// </summary>
    public async Task<IngestionResult> IngestAsync(DocumentToIngest document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var started = Stopwatch.GetTimestamp();
        SourceContent? content;
        try
        {
            content = await OpenAsync(document, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(new PreparedDocument(PendingStatus(document.Source), [], started), ex).ConfigureAwait(false);
            throw;
        }
        if (content is null)
        {
            return await DeleteAsync(document.Source.Id, cancellationToken).ConfigureAwait(false);
        }
        await using (content.ConfigureAwait(false))
        {
            var prepared = await PrepareAsync(content.Document, content.Content, started, cancellationToken).ConfigureAwait(false);
            return await EmbedAndCommitAsync(prepared, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ingests a batch of documents, embedding the chunks of several in each encoder call (up to
    /// <c>Ingestion:BatchDocuments</c> documents or 256 chunks at a time). Each document is still replaced and recorded
    /// on its own, and one document's failure is recorded and reported (see <see cref="IngestionResult.IsTransientFailure"/>)
    /// without stopping the others. Only cancellation throws, and <see cref="IndexLockedException"/>: another process is
    /// writing the index, which is no fault of any document (they stay <c>pending</c>, and the next sync redoes them).
    /// </summary>
    public async Task<IReadOnlyList<IngestionResult>> IngestManyAsync(
        IEnumerable<DocumentToIngest> documents,
        IProgress<IngestionResult>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var results = new List<IngestionResult>();
        var pending = new List<PreparedDocument>();
        var pendingChunks = 0;

        foreach (var document in documents)
        {
            var result = await TryPrepareAsync(document, cancellationToken).ConfigureAwait(false);
            if (result.Result is { } finished)
            {
                Report(finished);
                continue;
            }
            pending.Add(result);
            pendingChunks += result.Chunks.Count;
            if (pending.Count >= _batchDocuments || pendingChunks >= ChunkEmbedder.Slice)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }
        await FlushAsync().ConfigureAwait(false);
        return results;

        async Task FlushAsync()
        {
            foreach (var committed in await TryCommitManyAsync(pending, cancellationToken).ConfigureAwait(false))
            {
                Report(committed);
            }
            pending.Clear();
            pendingChunks = 0;
        }

        void Report(IngestionResult result)
        {
            results.Add(result);
            progress?.Report(result);
        }
    }

    /// <summary>Removes every chunk and the status of a document whose source is gone.</summary>
    public async Task<IngestionResult> DeleteAsync(string documentId, CancellationToken cancellationToken) =>
        (await DeleteIfAsync(documentId, null, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// Removes every chunk and the status of a document, under the document's lock, if <paramref name="stillGone"/>
    /// (asked inside the lock) confirms that its source is gone; null when it was kept. Asking inside the lock closes
    /// the gap in which a new upload could be ingested between the check and the removal.
    /// </summary>
    public async Task<IngestionResult?> DeleteIfAsync(string documentId, Func<CancellationToken, Task<bool>>? stillGone, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var started = Stopwatch.GetTimestamp();
        var held = await _locks.AcquireAsync(documentId, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (stillGone is not null && !await stillGone(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            var change = await _index.DeleteDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
            await _index.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _statuses.RemoveAsync(documentId, cancellationToken).ConfigureAwait(false);
            LogDeleted(_logger, documentId, change.ChunksRemoved, change.Generation);
            return Finish(new IngestionResult(documentId, IngestionOutcome.Deleted, change.ChunksRemoved, 0, 0, null, Stopwatch.GetElapsedTime(started)));
        }
    }

    /// <summary>
    /// Reads, checks and chunks one document. Finished already when the bytes are unchanged or rejected; otherwise
    /// its status is <c>pending</c> and its chunks wait to be embedded. A failure is recorded, then thrown.
    /// </summary>
    private async Task<PreparedDocument> PrepareAsync(SourceDocument source, Stream content, long started, CancellationToken cancellationToken)
    {
        var documentId = source.Id;
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var status = PendingStatus(source);
        try
        {
            var bytes = await _extractor.ReadAsync(documentId, content, cancellationToken).ConfigureAwait(false);
            status = status with { ContentHash = DocumentMetadataBuilder.Fingerprint(bytes, source) };

            // Recorded under the document's lock, unless a newer version or these very bytes got there first.
            var pending = status;
            if (await WriteUnlessCurrentAsync(status, started, () => _statuses.SetAsync(pending, cancellationToken), cancellationToken).ConfigureAwait(false) is { } done)
            {
                return PreparedDocument.Finished(Finish(done));
            }

            var extracted = _extractor.Extract(documentId, bytes, cancellationToken);
            var chunks = _chunker.Chunk(extracted);
            if (chunks.Count == 0)
            {
                throw new DocumentRejectedException(RejectionReason.Empty, "The document holds no text to index.");
            }
            return new PreparedDocument(status, chunks, started) { Metadata = DocumentMetadataBuilder.Build(source, extracted) };
        }
        catch (DocumentRejectedException rejected)
        {
            var error = IngestionError.Rejected(rejected);
            // The bytes behind this id are now unusable; serving the previous version's text would be a lie.
            async Task RejectAsync()
            {
                await _index.DeleteDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
                await _index.FlushAsync(cancellationToken).ConfigureAwait(false);
                await _statuses.SetAsync(status.ToFailed(error, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            if (rejected.Reason == RejectionReason.Unsupported)
            {
                // Refused by its name alone, before a byte was read: every version of it ends the same way, so there is
                // no order to keep and no lock to take.
                await RejectAsync().ConfigureAwait(false);
            }
            else if (await WriteUnlessNewerAsync(status, started, RejectAsync, cancellationToken).ConfigureAwait(false) is { } superseded)
            {
                return PreparedDocument.Finished(Finish(superseded));
            }
            LogRejected(_logger, documentId, rejected.Reason, rejected.Message);
            return PreparedDocument.Finished(Finish(new IngestionResult(documentId, IngestionOutcome.Failed, 0, 0, 0, error, Stopwatch.GetElapsedTime(started))));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(new PreparedDocument(status, [], started), ex).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<PreparedDocument> TryPrepareAsync(DocumentToIngest document, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        SourceContent? content;
        try
        {
            content = await OpenAsync(document, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                // Listed, then gone before it could be read: the source no longer has it.
                return PreparedDocument.Finished(await DeleteAsync(document.Source.Id, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await FailAsync(new PreparedDocument(PendingStatus(document.Source), [], started), ex).ConfigureAwait(false);
            return PreparedDocument.Finished(FailedResult(document.Source.Id, ex, started));
        }
        await using (content.ConfigureAwait(false))
        {
            try
            {
                return await PrepareAsync(content.Document, content.Content, started, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not IndexLockedException)
            {
                // PrepareAsync has recorded the failure already.
                return PreparedDocument.Finished(FailedResult(document.Source.Id, ex, started));
            }
        }
    }

    /// <summary>
    /// Opens a document for ingestion; an unsupported type is not opened at all (a 2 GB disk image is not downloaded to
    /// be refused): it gets an empty stream, which <see cref="DocumentExtractor.ReadAsync"/> refuses as Unsupported.
    /// </summary>
    private Task<SourceContent?> OpenAsync(DocumentToIngest document, CancellationToken cancellationToken) =>
        _extractor.IsSupported(document.Source.Id)
            ? document.Open(cancellationToken)
            : Task.FromResult<SourceContent?>(new SourceContent(document.Source, Stream.Null));


    /// <summary>A pending status for the version the source describes.</summary>
    private DocumentStatus PendingStatus(SourceDocument source) =>
        DocumentStatus.Pending(source.Id, _time.GetUtcNow(), null, PipelineVersion, source.Version, source.ModifiedAt);


    /// <summary>Leaves a trace of a failed attempt; the caller retries, and a later success overwrites it.</summary>
    private async Task FailAsync(PreparedDocument document, Exception exception)
    {
        LogFailed(_logger, exception, document.Status.DocumentId);
        _metrics.RecordDocument("failed", Stopwatch.GetElapsedTime(document.Started));
        await TryRecordAsync(document.Status.ToFailed(IngestionError.Transient(exception), _time.GetUtcNow())).ConfigureAwait(false);
    }

    private async Task TryRecordAsync(DocumentStatus status)
    {
        try
        {
            // Never over a newer version's status, nor over these same bytes indexed by a duplicate that succeeded.
            await WriteUnlessCurrentAsync(status, Stopwatch.GetTimestamp(), () => _statuses.SetAsync(status, CancellationToken.None), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStatusFailed(_logger, ex, status.DocumentId);
        }
    }

    private static IngestionResult FailedResult(string documentId, Exception exception, long started) =>
        new(documentId, IngestionOutcome.Failed, 0, 0, 0, IngestionError.Transient(exception), Stopwatch.GetElapsedTime(started));

    private IngestionResult Finish(IngestionResult result)
    {
        _metrics.RecordDocument(result.Outcome.ToString().ToLowerInvariant(), result.Elapsed);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexed {DocumentId}: {Chunks} chunks, {Computed} embeddings computed, {Reused} reused; index +{Added} -{Removed} chunks, generation {Generation}")]
    private static partial void LogIndexed(ILogger logger, string documentId, int chunks, int computed, int reused, int added, int removed, long generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {DocumentId} ({Reason}): {Error}")]
    private static partial void LogRejected(ILogger logger, string documentId, RejectionReason reason, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingesting {DocumentId} failed; it will be retried")]
    private static partial void LogFailed(ILogger logger, Exception exception, string documentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {DocumentId}: {Removed} chunks removed, generation {Generation}")]
    private static partial void LogDeleted(ILogger logger, string documentId, int removed, long generation);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record the failure of {DocumentId}")]
    private static partial void LogStatusFailed(ILogger logger, Exception exception, string documentId);
}
