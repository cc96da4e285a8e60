namespace SemanticSearch.Indexing;

/// <summary>
/// The index takes one writing process at a time (the embedded index does), and another one held it for longer than
/// the configured wait. Nothing of the call was written; the ingestor stops the sync rather than mark every document
/// failed, and the documents it left <c>pending</c> are redone by the next sync.
/// </summary>
public sealed class IndexLockedException : IOException
{
    public IndexLockedException()
    {
    }

    public IndexLockedException(string message)
        : base(message)
    {
    }

    public IndexLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
