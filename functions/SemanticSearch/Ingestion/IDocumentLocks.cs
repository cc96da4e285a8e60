namespace SemanticSearch.Ingestion;

/// <summary>
/// Serialises the writes of one document: while a holder checks the document's status and replaces its chunks and
/// status, no other ingestion or removal of that document — in this process or, with a shared implementation, on
/// another instance — does the same. Held only around those writes (seconds), never around extraction or embedding.
/// </summary>
/// <remarks>
/// The index itself cannot refuse a stale write (Azure AI Search has no conditional document writes), so an ETag on
/// the status alone could detect that an older version overtook a newer one but not prevent its chunks from landing
/// after the newer ones. Inside the lock, <see cref="DocumentIngestor"/> compares the recorded version first.
/// </remarks>
public interface IDocumentLocks
{
    /// <summary>Waits (asynchronously, bounded) until the document is free and takes it; dispose to release.</summary>
    /// <exception cref="TimeoutException">Another holder kept it longer than the implementation waits.</exception>
    Task<IAsyncDisposable> AcquireAsync(string documentId, CancellationToken cancellationToken);
}
