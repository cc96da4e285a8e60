namespace SemanticSearch.Embedded.Indexing;

/// <summary>Another process is writing the embedded index, and did not let go within the configured wait.</summary>
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
