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

namespace SemanticSearch.Ingestion;

/// <summary>
/// The ingestion flow every host uses for one document: read (bounded) → skip if these exact bytes are already
/// indexed → extract → chunk → embed through the cache → replace the document's chunks in one atomic step → record
/// the outcome. A rejected document (bad input) loses its old chunks too and ends <c>failed</c> with the reason, so
/// nothing of it stays searchable. Any other failure is recorded and rethrown for the host to retry; since every
/// step is idempotent, running the same document again — after a crash, a retry or a duplicate event — repairs it.
/// </summary>
public sealed partial class DocumentIngestor
{
    /// <summary>Chunks embedded per call into the embedding pipeline: one cache read and one write per slice.</summary>
    private const int EmbeddingSlice = 256;

    /// <summary>Bump when extraction or chunking changes output for the same bytes, so such documents are redone.</summary>
    private const int ProcessingRevision = 2;

    private static readonly EmbeddingGenerationOptions PassageOptions = new EmbeddingGenerationOptions().ForInputKind(EmbeddingInputKind.Passage);

    private readonly DocumentExtractor _extractor;
    private readonly Chunker _chunker;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly ISearchIndex _index;
    private readonly IDocumentStatusStore _statuses;
    private readonly SemanticSearchMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _pipelineVersion;

    public DocumentIngestor(
        DocumentExtractor extractor,
        Chunker chunker,
        IEmbeddingGenerator<string, Embedding<float>> generator,
        ISearchIndex index,
        IDocumentStatusStore statuses,
        EncoderDescription encoder,
        IOptions<ChunkingOptions> chunking,
        SemanticSearchMetrics metrics,
        TimeProvider time,
        ILogger<DocumentIngestor> logger)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(chunking);
        _extractor = extractor;
        _chunker = chunker;
        _generator = generator;
        _index = index;
        _statuses = statuses;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _pipelineVersion = string.Create(CultureInfo.InvariantCulture,
            $"{encoder.ModelId}/{encoder.Dimensions}/chunk-{chunking.Value.MaxTokens}-{chunking.Value.OverlapTokens}/r{ProcessingRevision}");
    }

    public async Task<IngestionResult> IngestAsync(string documentId, Stream content, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(content);
        var started = Stopwatch.GetTimestamp();
        string? contentHash = null;
        try
        {
            var bytes = await _extractor.ReadAsync(documentId, content, cancellationToken).ConfigureAwait(false);
            contentHash = ContentHash.Of(bytes);

            var previous = await _statuses.GetAsync(documentId, cancellationToken).ConfigureAwait(false);
            if (await IsAlreadyIndexedAsync(previous, contentHash, cancellationToken).ConfigureAwait(false))
            {
                return Finish(new IngestionResult(documentId, IngestionOutcome.Unchanged, previous!.Chunks, 0, 0, null, Stopwatch.GetElapsedTime(started)));
            }
            await _statuses.SetAsync(new DocumentStatus(documentId, DocumentState.Pending, 0, 0, 0, null, _time.GetUtcNow(), contentHash, _pipelineVersion), cancellationToken).ConfigureAwait(false);

            var document = _extractor.Extract(documentId, bytes, cancellationToken);
            var chunks = _chunker.Chunk(document);
            if (chunks.Count == 0)
            {
                throw new DocumentRejectedException(RejectionReason.Empty, "The document holds no text to index.");
            }

            var (indexed, computed, reused) = await EmbedAsync(documentId, chunks, cancellationToken).ConfigureAwait(false);
            var change = await _index.ReplaceDocumentAsync(documentId, indexed, cancellationToken).ConfigureAwait(false);
            await _statuses.SetAsync(new DocumentStatus(documentId, DocumentState.Indexed, chunks.Count, computed, reused, null, _time.GetUtcNow(), contentHash, _pipelineVersion), cancellationToken).ConfigureAwait(false);
            LogIndexed(_logger, documentId, chunks.Count, computed, reused, change.ChunksAdded, change.ChunksRemoved, change.Generation);
            return Finish(new IngestionResult(documentId, IngestionOutcome.Indexed, chunks.Count, computed, reused, null, Stopwatch.GetElapsedTime(started)));
        }
        catch (DocumentRejectedException rejected)
        {
            var error = IngestionError.Rejected(rejected);
            // The bytes behind this id are now unusable; serving the previous version's text would be a lie.
            await _index.DeleteDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
            await _statuses.SetAsync(new DocumentStatus(documentId, DocumentState.Failed, 0, 0, 0, error, _time.GetUtcNow(), contentHash, _pipelineVersion), cancellationToken).ConfigureAwait(false);
            LogRejected(_logger, documentId, rejected.Reason, rejected.Message);
            return Finish(new IngestionResult(documentId, IngestionOutcome.Failed, 0, 0, 0, error, Stopwatch.GetElapsedTime(started)));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(_logger, ex, documentId);
            // Leave a trace of the attempt; the caller retries, and a later success overwrites it.
            await TryRecordFailureAsync(documentId, contentHash, IngestionError.Transient(ex)).ConfigureAwait(false);
            _metrics.RecordDocument("failed", Stopwatch.GetElapsedTime(started));
            throw;
        }
    }

    /// <summary>Removes every chunk and the status of a document whose source is gone.</summary>
    public async Task<IngestionResult> DeleteAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var started = Stopwatch.GetTimestamp();
        var change = await _index.DeleteDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
        await _statuses.RemoveAsync(documentId, cancellationToken).ConfigureAwait(false);
        LogDeleted(_logger, documentId, change.ChunksRemoved, change.Generation);
        return Finish(new IngestionResult(documentId, IngestionOutcome.Deleted, change.ChunksRemoved, 0, 0, null, Stopwatch.GetElapsedTime(started)));
    }

    private async Task<bool> IsAlreadyIndexedAsync(DocumentStatus? previous, string contentHash, CancellationToken cancellationToken) =>
        previous is { State: DocumentState.Indexed }
        && previous.ContentHash == contentHash
        && previous.PipelineVersion == _pipelineVersion
        // The status alone is not proof: the index may have been rebuilt or wiped since.
        && await _index.CountChunksAsync(previous.DocumentId, cancellationToken).ConfigureAwait(false) == previous.Chunks;

    private async Task<(List<IndexedChunk> Chunks, int Computed, int Reused)> EmbedAsync(string documentId, IReadOnlyList<TextChunk> chunks, CancellationToken cancellationToken)
    {
        var indexed = new List<IndexedChunk>(chunks.Count);
        int computed = 0, reused = 0;
        foreach (var slice in chunks.Chunk(EmbeddingSlice))
        {
            var embeddings = await _generator.GenerateAsync(slice.Select(c => c.Text), PassageOptions, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < slice.Length; i++)
            {
                indexed.Add(new IndexedChunk(slice[i].Id, documentId, slice[i].Ordinal, slice[i].Text, embeddings[i].Vector));
            }
            var sliceComputed = Count(embeddings, CachingEmbeddingGenerator.ComputedProperty) ?? slice.Length;
            computed += sliceComputed;
            reused += Count(embeddings, CachingEmbeddingGenerator.ReusedProperty) ?? slice.Length - sliceComputed;
        }
        return (indexed, computed, reused);
    }

    private static int? Count(GeneratedEmbeddings<Embedding<float>> embeddings, string property) =>
        embeddings.AdditionalProperties?.TryGetValue(property, out var value) == true && value is int count ? count : null;

    private async Task TryRecordFailureAsync(string documentId, string? contentHash, string error)
    {
        try
        {
            await _statuses.SetAsync(new DocumentStatus(documentId, DocumentState.Failed, 0, 0, 0, error, _time.GetUtcNow(), contentHash, _pipelineVersion), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogStatusFailed(_logger, ex, documentId);
        }
    }

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
