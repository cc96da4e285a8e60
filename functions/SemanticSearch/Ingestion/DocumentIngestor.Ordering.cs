using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SemanticSearch.Indexing;

namespace SemanticSearch.Ingestion;

/// <summary>
/// Why the result of concurrent ingestions of one document does not depend on their order: every write of a document's
/// chunks or status happens under its lock (<see cref="IDocumentLocks"/>: a blob lease in Azure) after comparing the
/// recorded status, so an older version of the source never overwrites a newer one (<see cref="IngestionOutcome.Superseded"/>)
/// and a duplicate delivery of the same bytes finds them indexed (<see cref="IngestionOutcome.Unchanged"/>).
/// </summary>
public sealed partial class DocumentIngestor
{
    /// <summary>
    /// Runs <paramref name="write"/> under the document's lock unless <see cref="LockUnlessCurrentAsync"/> finds nothing
    /// to write. Null when <paramref name="write"/> ran. The caller counts the result (<see cref="Finish"/>).
    /// </summary>
    private async Task<IngestionResult?> WriteUnlessCurrentAsync(DocumentStatus mine, long started, Func<Task> write, CancellationToken cancellationToken)
    {
        var (held, done) = await LockUnlessCurrentAsync(mine, started, cancellationToken).ConfigureAwait(false);
        if (done is not null)
        {
            return done;
        }
        await using (held!.ConfigureAwait(false))
        {
            await write().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// Takes the document's lock and returns it held (the caller writes, then releases it), unless the recorded status is
    /// of a newer version of the source (result: <see cref="IngestionOutcome.Superseded"/>) or already holds exactly
    /// these bytes, indexed by this pipeline (result: <see cref="IngestionOutcome.Unchanged"/>, after remembering a new
    /// version stamp of the same bytes); then the lock is released already and the result says why.
    /// </summary>
    private async Task<(IAsyncDisposable? Held, IngestionResult? Done)> LockUnlessCurrentAsync(DocumentStatus mine, long started, CancellationToken cancellationToken)
    {
        var held = await _locks.AcquireAsync(mine.DocumentId, cancellationToken).ConfigureAwait(false);
        try
        {
            var recorded = await _statuses.GetAsync(mine.DocumentId, cancellationToken).ConfigureAwait(false);
            if (recorded is not null && recorded.IsNewerThan(mine.SourceModifiedAt))
            {
                await held.DisposeAsync().ConfigureAwait(false);
                return (null, Superseded(mine, recorded, started));
            }
            if (await IsAlreadyIndexedAsync(recorded, mine.ContentHash, cancellationToken).ConfigureAwait(false))
            {
                if ((mine.SourceVersion is not null && recorded!.SourceVersion != mine.SourceVersion)
                    || (mine.SourceModifiedAt is not null && recorded!.SourceModifiedAt != mine.SourceModifiedAt))
                {
                    // Same bytes under a new stamp (a touched file, a re-upload): remember the stamp so the next sync need not read them.
                    await _statuses.SetAsync(recorded with { SourceVersion = mine.SourceVersion ?? recorded.SourceVersion, SourceModifiedAt = mine.SourceModifiedAt ?? recorded.SourceModifiedAt }, cancellationToken).ConfigureAwait(false);
                }
                await held.DisposeAsync().ConfigureAwait(false);
                return (null, new IngestionResult(mine.DocumentId, IngestionOutcome.Unchanged, recorded!.Chunks, 0, 0, null, Stopwatch.GetElapsedTime(started)));
            }
            return (held, null);
        }
        catch
        {
            await held.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs <paramref name="write"/> under the document's lock unless the recorded status is of a newer version (then the result says so).</summary>
    private async Task<IngestionResult?> WriteUnlessNewerAsync(DocumentStatus mine, long started, Func<Task> write, CancellationToken cancellationToken)
    {
        var held = await _locks.AcquireAsync(mine.DocumentId, cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            var recorded = await _statuses.GetAsync(mine.DocumentId, cancellationToken).ConfigureAwait(false);
            if (recorded is not null && recorded.IsNewerThan(mine.SourceModifiedAt))
            {
                return Superseded(mine, recorded, started);
            }
            await write().ConfigureAwait(false);
            return null;
        }
    }

    private IngestionResult Superseded(DocumentStatus mine, DocumentStatus recorded, long started)
    {
        LogSuperseded(_logger, mine.DocumentId, mine.SourceModifiedAt, recorded.SourceModifiedAt);
        return new IngestionResult(mine.DocumentId, IngestionOutcome.Superseded, 0, 0, 0, null, Stopwatch.GetElapsedTime(started));
    }

    private async Task<bool> IsAlreadyIndexedAsync(DocumentStatus? previous, string? contentHash, CancellationToken cancellationToken) =>
        previous is { State: DocumentState.Indexed }
        && previous.ContentHash == contentHash
        && previous.PipelineVersion == PipelineVersion
        // The status alone is not proof: the index may have been rebuilt or wiped since.
        && await _index.CountChunksAsync(previous.DocumentId, cancellationToken).ConfigureAwait(false) == previous.Chunks;

    [LoggerMessage(Level = LogLevel.Information, Message = "{DocumentId} left alone: this version (modified {Mine}) is older than the one recorded (modified {Recorded})")]
    private static partial void LogSuperseded(ILogger logger, string documentId, DateTimeOffset? mine, DateTimeOffset? recorded);
}
