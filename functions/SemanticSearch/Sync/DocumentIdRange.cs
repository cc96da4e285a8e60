namespace SemanticSearch.Sync;

/// <summary>
/// A stretch of document ids, <c>(After, Through]</c> in ordinal order; null ends are open. A reconcile that pages
/// through a source's sorted listing plans each page over the range the page covers, so the ranges of consecutive
/// pages cover every id exactly once and every known document falls in some page's plan.
/// </summary>
public sealed record DocumentIdRange(string? After, string? Through)
{
    public static DocumentIdRange All { get; } = new(null, null);

    public bool Contains(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        return (After is null || string.CompareOrdinal(documentId, After) > 0)
            && (Through is null || string.CompareOrdinal(documentId, Through) <= 0);
    }
}
