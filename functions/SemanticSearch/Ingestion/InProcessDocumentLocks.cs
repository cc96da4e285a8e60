namespace SemanticSearch.Ingestion;

/// <summary>
/// Per-document locks within one process: enough for the local server and the verbs, which are the only writers of
/// their data folder. A host with several instances (the Functions app) registers a shared implementation instead.
/// </summary>
public sealed class InProcessDocumentLocks : IDocumentLocks
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(documentId, out entry!))
            {
                _entries[documentId] = entry = new Entry();
            }
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(documentId, entry);
            throw;
        }
        return new Holder(this, documentId, entry);
    }

    private void Leave(string documentId, Entry entry)
    {
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(documentId);
                entry.Gate.Dispose();
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }
    }

    private sealed class Holder(InProcessDocumentLocks owner, string documentId, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Gate.Release();
                owner.Leave(documentId, entry);
            }
            return ValueTask.CompletedTask;
        }
    }
}
