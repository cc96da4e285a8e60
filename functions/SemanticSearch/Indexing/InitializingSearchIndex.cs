using SemanticSearch.Diagnostics;
using SemanticSearch.Sync;

namespace SemanticSearch.Indexing;

/// <summary>
/// Runs <see cref="ISearchIndex.InitializeAsync"/> with the configured encoder once, before the first use, whichever
/// host or trigger comes first (Functions give no ordering guarantee between hosted services and invocations).
/// A failed initialization is retried on the next call rather than cached, so a transient outage (a 403 while a role
/// assignment propagates) heals itself. An encoder mismatch is kept: every later call is refused with its clear
/// message at once, without asking the backend again (the configuration has to change, which restarts the app).
/// Each attempt is reported to <see cref="Readiness"/> (component <see cref="Readiness.Index"/>), which
/// <c>/api/health</c> shows.
/// </summary>
public sealed class InitializingSearchIndex(ISearchIndex inner, VectorSpace encoder, Readiness? readiness = null) : ISearchIndex, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _initialized;
    private volatile VectorSpaceMismatchException? _mismatch;

    public string Name => inner.Name;

    public ISearchIndex Inner => inner;

    public async Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await AttemptAsync(encoder, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Initializes now (hosts call this at start-up to fail fast on a bad configuration).</summary>
    public async Task EnsureInitializedAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }
        ThrowIfMismatched();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                ThrowIfMismatched();
                await AttemptAsync(encoder, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task AttemptAsync(VectorSpace space, CancellationToken cancellationToken)
    {
        try
        {
            await inner.InitializeAsync(space, cancellationToken).ConfigureAwait(false);
            _initialized = true;
            readiness?.Clear(Readiness.Index);
        }
        catch (VectorSpaceMismatchException mismatch)
        {
            _mismatch = mismatch;
            readiness?.Report(Readiness.Index, mismatch);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            readiness?.Report(Readiness.Index, ex);
            throw;
        }
    }

    private void ThrowIfMismatched()
    {
        if (_mismatch is { } mismatch)
        {
            throw new VectorSpaceMismatchException(mismatch.Indexed, mismatch.Configured);
        }
    }

    public async Task<long> GetGenerationAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IndexChange> ReplaceDocumentAsync(string documentId, IReadOnlyList<IndexedChunk> chunks, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ReplaceDocumentAsync(documentId, chunks, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IndexChange> DeleteDocumentAsync(string documentId, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.DeleteDocumentAsync(documentId, cancellationToken).ConfigureAwait(false);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        await inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountChunksAsync(string documentId, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.CountChunksAsync(documentId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListDocumentIdsAsync(CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListDocumentIdsAsync(DocumentIdRange range, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.ListDocumentIdsAsync(range, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(IndexQuery query, CancellationToken cancellationToken)
    {
        await EnsureInitializedAsync(cancellationToken).ConfigureAwait(false);
        return await inner.SearchAsync(query, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _gate.Dispose();
        (inner as IDisposable)?.Dispose();
    }
}
