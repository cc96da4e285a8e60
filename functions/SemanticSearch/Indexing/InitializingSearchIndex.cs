namespace SemanticSearch.Indexing;

/// <summary>
/// Runs <see cref="ISearchIndex.InitializeAsync"/> with the configured encoder once, before the first use, whichever
/// host or trigger comes first (Functions give no ordering guarantee between hosted services and invocations).
/// A failed initialization is retried on the next call rather than cached, so a transient outage heals itself,
/// while an encoder mismatch keeps failing with its clear message.
/// </summary>
public sealed class InitializingSearchIndex(ISearchIndex inner, VectorSpace encoder) : ISearchIndex, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _initialized;

    public string Name => inner.Name;

    public ISearchIndex Inner => inner;

    public async Task InitializeAsync(VectorSpace encoder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await inner.InitializeAsync(encoder, cancellationToken).ConfigureAwait(false);
            _initialized = true;
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
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_initialized)
            {
                await inner.InitializeAsync(encoder, cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }
        }
        finally
        {
            _gate.Release();
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
