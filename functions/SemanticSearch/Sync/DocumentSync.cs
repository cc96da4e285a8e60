using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>
/// The one routine that brings the index in line with a document source, whatever the source: it knows what is
/// indexed, lists the source, ingests what is new, changed, interrupted or failed for a transient reason (a document
/// whose recorded version matches is not even read), removes what the source no longer has, and counts the outcomes.
/// The folder server, the blob reconciliation, the <c>ingest</c> verb and <c>eval</c> all sync through it.
/// </summary>
public sealed partial class DocumentSync(
    DocumentIngestor ingestor,
    IDocumentStatusStore statuses,
    ISearchIndex index,
    TimeProvider time,
    ILogger<DocumentSync> logger)
{
    public async Task<SyncSummary> SyncAsync(IDocumentSource source, IProgress<SyncProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var started = time.GetTimestamp();

        // What the index knows is read before the source is listed: a document ingested in between is then missing
        // from this snapshot, so it can never be taken for the orphan of a removed one.
        var known = await KnownAsync(cancellationToken).ConfigureAwait(false);
        var listed = new SortedDictionary<string, SourceDocument>(StringComparer.Ordinal);
        await foreach (var document in source.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            listed[document.Id] = document;
        }

        var plan = Plan(listed.Values, known.Statuses.Values, known.Indexed);
        var toIngest = plan.ToIngest.Select(p => p.Document).ToList();
        var orphans = plan.ToRemove;
        var upToDate = plan.UpToDate;
        var total = listed.Count + orphans.Count;
        var completed = upToDate;
        progress?.Report(new SyncProgress(completed, total, null));

        var results = new List<IngestionResult>(toIngest.Count + orphans.Count);
        var errors = 0;
        var reporter = new SynchronousProgress<IngestionResult>(result =>
        {
            results.Add(result);
            errors += result.IsTransientFailure ? 1 : 0;
            progress?.Report(new SyncProgress(++completed, total, result));
        });
        await ingestor.IngestManyAsync(
            toIngest.Select(document => new DocumentToIngest(document, token => source.OpenAsync(document, token))),
            reporter,
            cancellationToken).ConfigureAwait(false);

        foreach (var orphan in orphans)
        {
            try
            {
                if (await RemoveIfGoneAsync(source, orphan, cancellationToken).ConfigureAwait(false) is { } removed)
                {
                    reporter.Report(removed);
                    continue;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not IndexLockedException)
            {
                errors++;
                LogRemoveFailed(logger, ex, orphan);
            }
            progress?.Report(new SyncProgress(++completed, total, null));
        }

        var summary = new SyncSummary(source.Description, results, listed, upToDate, errors, time.GetElapsedTime(started));
        int indexed = summary.Count(IngestionOutcome.Indexed), unchanged = summary.Count(IngestionOutcome.Unchanged);
        int failed = summary.Count(IngestionOutcome.Failed), deleted = summary.Count(IngestionOutcome.Deleted);
        int computed = summary.EmbeddingsComputed, reused = summary.EmbeddingsReused;
        var seconds = summary.Elapsed.TotalSeconds;
        LogSynced(logger, source.Description, listed.Count, indexed, unchanged, failed, deleted, upToDate, errors, computed, reused, seconds);
        return summary;
    }

    /// <summary>
    /// Brings one document in line (a watcher saw it change, an event named it): ingests what the source has now, or
    /// removes the document when the source no longer has it. Never throws for the document's own failure: the result
    /// says it, and the status records it.
    /// </summary>
    public async Task<IngestionResult?> SyncDocumentAsync(IDocumentSource source, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var document = await source.FindAsync(documentId, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return await RemoveIfGoneAsync(source, documentId, cancellationToken).ConfigureAwait(false);
        }
        var results = await ingestor.IngestManyAsync(
            [new DocumentToIngest(document, token => source.OpenAsync(document, token))], null, cancellationToken).ConfigureAwait(false);
        return results.Single();
    }

    /// <summary>
    /// Brings one document in line only when it needs it, by the same rule a full sync applies
    /// (<see cref="ReasonToIngest"/>): a queued reconcile item that a duplicate or an event has already taken care of
    /// costs a lookup and a status read, not a download. A document the source no longer has is removed.
    /// </summary>
    public async Task<IngestionResult?> SyncDocumentIfNeededAsync(IDocumentSource source, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var document = await source.FindAsync(documentId, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return await RemoveIfGoneAsync(source, documentId, cancellationToken).ConfigureAwait(false);
        }
        var status = await statuses.GetAsync(documentId, cancellationToken).ConfigureAwait(false);
        IReadOnlySet<string> indexed = status is { State: DocumentState.Indexed, Chunks: > 0 }
            && await index.CountChunksAsync(documentId, cancellationToken).ConfigureAwait(false) > 0
            ? new HashSet<string>(StringComparer.Ordinal) { documentId }
            : new HashSet<string>(StringComparer.Ordinal);
        if (ReasonToIngest(document, status, indexed, ingestor.PipelineVersion) is not { } reason)
        {
            return null;
        }
        LogIngesting(logger, documentId, reason);
        var results = await ingestor.IngestManyAsync(
            [new DocumentToIngest(document, token => source.OpenAsync(document, token))], null, cancellationToken).ConfigureAwait(false);
        return results.Single();
    }

    /// <summary>Removes every known document at or below <paramref name="idOrFolder"/> that the source no longer has (a deleted file or folder).</summary>
    public async Task<IReadOnlyList<IngestionResult>> RemoveGoneAsync(IDocumentSource source, string idOrFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(idOrFolder);
        var below = idOrFolder.TrimEnd('/') + "/";
        var results = new List<IngestionResult>();
        foreach (var id in (await KnownAsync(cancellationToken).ConfigureAwait(false)).Ids
            .Where(id => id == idOrFolder || id.StartsWith(below, StringComparison.Ordinal)))
        {
            if (await RemoveIfGoneAsync(source, id, cancellationToken).ConfigureAwait(false) is { } removed)
            {
                results.Add(removed);
            }
        }
        return results;
    }

    /// <summary>
    /// The one decision of what to do, for the whole source (<see cref="SyncAsync"/>) or one stretch of it (a page of
    /// the Functions app's fanned-out reconcile, see <see cref="PlanRangeAsync"/>): every listed document is ingested
    /// when <see cref="ReasonToIngest"/> gives a reason; every known document (a status or chunks in the index) that
    /// is not listed is to be removed, each only after the source confirms it is gone (<see cref="RemoveIfGoneAsync"/>).
    /// </summary>
    /// <param name="listed">What the source lists (in the stretch).</param>
    /// <param name="statuses">The recorded statuses (of the stretch).</param>
    /// <param name="indexed">Ids of the documents with chunks in the index (of the stretch).</param>
    public SyncPlan Plan(IEnumerable<SourceDocument> listed, IEnumerable<DocumentStatus> statuses, IEnumerable<string> indexed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(indexed);
        var known = new Dictionary<string, DocumentStatus>(StringComparer.Ordinal);
        foreach (var status in statuses)
        {
            known[status.DocumentId] = status;
        }
        var inIndex = indexed as IReadOnlySet<string> ?? indexed.ToHashSet(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, SourceDocument>(StringComparer.Ordinal);
        foreach (var document in listed)
        {
            sources[document.Id] = document;
        }
        var toIngest = new List<PlannedIngestion>();
        foreach (var document in sources.Values)
        {
            if (ReasonToIngest(document, known.GetValueOrDefault(document.Id), inIndex, ingestor.PipelineVersion) is { } reason)
            {
                LogIngesting(logger, document.Id, reason);
                toIngest.Add(new PlannedIngestion(document, reason));
            }
        }
        var toRemove = known.Keys.Union(inIndex, StringComparer.Ordinal).Where(id => !sources.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
        return new SyncPlan(toIngest, toRemove, sources.Count - toIngest.Count);
    }

    /// <summary>
    /// The plan for one page of a source's sorted listing: <paramref name="page"/> holds every document the source has
    /// in <paramref name="range"/>, and the statuses and indexed ids of that range are read here (paged, uncapped).
    /// </summary>
    public async Task<SyncPlan> PlanRangeAsync(IReadOnlyCollection<SourceDocument> page, DocumentIdRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(range);
        var known = new List<DocumentStatus>();
        await foreach (var status in statuses.ListRangeAsync(range, cancellationToken).ConfigureAwait(false))
        {
            known.Add(status);
        }
        var indexed = await index.ListDocumentIdsAsync(range, cancellationToken).ConfigureAwait(false);
        return Plan(page, known, indexed);
    }

    /// <summary>
    /// Why a listed document must be (re)ingested, or null when its status is current. The version stamp decides when
    /// both sides have one; an older status without one falls back to the modification time.
    /// </summary>
    internal static string? ReasonToIngest(SourceDocument document, DocumentStatus? status, IReadOnlySet<string> indexed, string pipelineVersion) => status switch
    {
        null => "never ingested",
        { State: DocumentState.Pending } => "ingestion was interrupted",
        { State: DocumentState.Failed } when !IngestionError.IsRejection(status.Error) => "the last attempt failed for a transient reason",
        { State: DocumentState.Indexed, Chunks: > 0 } when !indexed.Contains(document.Id) => "indexed but missing from the index",
        _ when status.PipelineVersion != pipelineVersion => "the pipeline changed since it was last ingested",
        _ when document.Version is not null && status.SourceVersion is not null =>
            document.Version == status.SourceVersion ? null : "changed since it was last ingested",
        _ when document.ModifiedAt is { } modified => modified > status.UpdatedAt ? "changed since it was last ingested" : null,
        _ => "the source cannot tell whether it changed",
    };

    /// <summary>
    /// Removes a document unless the source has it again: deletions are noticed late and out of order, and a late one
    /// must not undo a newer upload (whose own event ingests it). Returns null when the document was kept.
    /// </summary>
    public async Task<IngestionResult?> RemoveIfGoneAsync(IDocumentSource source, string documentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        // Asked under the document's lock, so an upload ingested meanwhile is never removed.
        var removed = await ingestor.DeleteIfAsync(
            documentId,
            async token => await source.FindAsync(documentId, token).ConfigureAwait(false) is null,
            cancellationToken).ConfigureAwait(false);
        if (removed is null)
        {
            LogStillExists(logger, documentId);
        }
        return removed;
    }

    private async Task<KnownDocuments> KnownAsync(CancellationToken cancellationToken)
    {
        var known = new Dictionary<string, DocumentStatus>(StringComparer.Ordinal);
        await foreach (var status in statuses.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            known[status.DocumentId] = status;
        }
        // Every id, paged by the index itself: a capped listing would make a reconcile take what it cannot see for lost.
        var indexed = (await index.ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
        return new KnownDocuments(known, indexed);
    }

    private sealed record KnownDocuments(IReadOnlyDictionary<string, DocumentStatus> Statuses, IReadOnlySet<string> Indexed)
    {
        public IEnumerable<string> Ids => Statuses.Keys.Union(Indexed, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingesting {DocumentId}: {Reason}")]
    private static partial void LogIngesting(ILogger logger, string documentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{DocumentId} exists again; its document is kept")]
    private static partial void LogStillExists(ILogger logger, string documentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Removing {DocumentId} failed; the next pass tries again")]
    private static partial void LogRemoveFailed(ILogger logger, Exception exception, string documentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Synced {Source} ({Listed} documents): {Indexed} indexed, {Unchanged} unchanged, {Failed} failed, {Deleted} deleted, {UpToDate} up to date, {Errors} errors; embeddings {Computed} computed, {Reused} reused; {Seconds:F1} s")]
    private static partial void LogSynced(ILogger logger, string source, int listed, int indexed, int unchanged, int failed, int deleted, int upToDate, int errors, int computed, int reused, double seconds);
}
