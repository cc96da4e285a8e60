namespace SemanticSearch.Extraction;

/// <summary>Turns the bytes of one file format into structural blocks and the properties the file states.</summary>
public interface ITextExtractor
{
    /// <summary>File extensions handled, lower case with the dot (".md").</summary>
    IReadOnlyCollection<string> Extensions { get; }

    /// <summary>
    /// Extracts the blocks and the file's own title, tags and groups (<see cref="DocumentProperties.None"/> when the
    /// format has no place for them). Throws <see cref="DocumentRejectedException"/> for corrupt, encrypted or binary
    /// content; properties that cannot be read are no reason to reject a file, only to leave them out.
    /// The stream is seekable and already checked against the size limit.
    /// </summary>
    ExtractedContent Extract(Stream content, CancellationToken cancellationToken);
}
