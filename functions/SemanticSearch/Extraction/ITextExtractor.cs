namespace SemanticSearch.Extraction;

/// <summary>Turns the bytes of one file format into structural blocks.</summary>
public interface ITextExtractor
{
    /// <summary>File extensions handled, lower case with the dot (".md").</summary>
    IReadOnlyCollection<string> Extensions { get; }

    /// <summary>
    /// Extracts the blocks. Throws <see cref="DocumentRejectedException"/> for corrupt, encrypted or binary content.
    /// The stream is seekable and already checked against the size limit.
    /// </summary>
    IReadOnlyList<DocumentBlock> Extract(Stream content, CancellationToken cancellationToken);
}
