namespace SemanticSearch.Extraction;

/// <summary>A document that can never be indexed as it is; the message is shown to users in the document's status.</summary>
public sealed class DocumentRejectedException : Exception
{
    public DocumentRejectedException(RejectionReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public RejectionReason Reason { get; }
}
