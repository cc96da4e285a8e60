using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Extraction;

/// <summary>
/// The one entry point of extraction: picks the extractor by the document's file extension, enforces the size limits,
/// and returns normalized blocks with the properties the file states, or throws <see cref="DocumentRejectedException"/>
/// saying why the document cannot be indexed.
/// </summary>
public sealed class DocumentExtractor
{
    private readonly IngestionOptions _options;
    private readonly FrozenDictionary<string, ITextExtractor> _extractorsByExtension;

    /// <param name="options">The size limits.</param>
    /// <param name="extractors">The formats; when two claim the same extension, the one registered last wins.</param>
    public DocumentExtractor(IOptions<IngestionOptions> options, IEnumerable<ITextExtractor> extractors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(extractors);
        _options = options.Value;

        var byExtension = new Dictionary<string, ITextExtractor>(StringComparer.OrdinalIgnoreCase);
        foreach (var extractor in extractors)
        {
            foreach (var extension in extractor.Extensions)
            {
                byExtension[extension.StartsWith('.') ? extension : "." + extension] = extractor;
            }
        }

        _extractorsByExtension = byExtension.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        SupportedExtensions = [.. byExtension.Keys.Select(extension => extension.ToLowerInvariant()).Order(StringComparer.Ordinal)];
    }

    /// <summary>The file extensions that can be extracted, lower case with the dot, sorted (".docx", ".htm", …).</summary>
    public IReadOnlyList<string> SupportedExtensions { get; }

    /// <summary>
    /// An extractor with every built-in format (txt, md, html, pdf, docx, json), for tests and tools without DI; it is
    /// composed by <see cref="ExtractionServiceCollectionExtensions.AddDocumentExtraction"/>, where the formats are listed.
    /// </summary>
    public static DocumentExtractor CreateDefault(IngestionOptions? options = null)
    {
        using var services = new ServiceCollection()
            .AddSingleton(Options.Create(options ?? new IngestionOptions()))
            .AddDocumentExtraction()
            .BuildServiceProvider();
        return services.GetRequiredService<DocumentExtractor>();
    }

    /// <summary>Whether the document's file extension (case-insensitive) has an extractor.</summary>
    public bool IsSupported(string documentId) =>
        _extractorsByExtension.ContainsKey(Path.GetExtension(documentId ?? string.Empty));

    /// <summary>
    /// Reads the document (never more than <see cref="IngestionOptions.MaxDocumentBytes"/> + 1 bytes of it) and extracts
    /// its text as structural blocks in NFC with whitespace collapsed.
    /// </summary>
    /// <exception cref="DocumentRejectedException">The document can never be indexed as it is; the reason says why.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<ExtractedDocument> ExtractAsync(string documentId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(content);
        var bytes = await ReadAsync(documentId, content, cancellationToken).ConfigureAwait(false);
        return Extract(documentId, bytes, cancellationToken);
    }

    /// <summary>
    /// Reads an upload into memory: refused as Unsupported before a byte is read when its type has no extractor (a
    /// 2 GB disk image is "unsupported", not "too large"), and as TooLarge past <see cref="IngestionOptions.MaxDocumentBytes"/>.
    /// </summary>
    public Task<ArraySegment<byte>> ReadAsync(string documentId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        ArgumentNullException.ThrowIfNull(content);
        FindExtractor(Path.GetExtension(documentId));
        return BoundedStreamReader.ReadAsync(content, _options.MaxDocumentBytes, cancellationToken);
    }

    /// <summary>Extracts a document already read with <see cref="ReadAsync"/>.</summary>
    /// <exception cref="DocumentRejectedException">The document can never be indexed as it is; the reason says why.</exception>
    public ExtractedDocument Extract(string documentId, ArraySegment<byte> bytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        var extension = Path.GetExtension(documentId);
        var extractor = FindExtractor(extension);
        if (bytes.Count > _options.MaxDocumentBytes)
        {
            throw new DocumentRejectedException(RejectionReason.TooLarge, string.Create(CultureInfo.InvariantCulture,
                $"The document is {bytes.Count} bytes; the limit is {_options.MaxDocumentBytes} bytes."));
        }
        if (bytes.Count == 0)
        {
            throw new DocumentRejectedException(RejectionReason.Empty, "The file is empty (0 bytes).");
        }

        ExtractedContent extracted;
        try
        {
            using var seekable = new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false, publiclyVisible: true);
            extracted = extractor.Extract(seekable, cancellationToken);
        }
        catch (Exception ex) when (ex is not (DocumentRejectedException or OperationCanceledException))
        {
            // Parsers throw whatever their authors chose on malformed input; to the user it is all one thing.
            throw new DocumentRejectedException(
                RejectionReason.Corrupt,
                $"The {extension.ToLowerInvariant()} file could not be read: {ex.Message}",
                ex);
        }

        var blocks = BlockTextNormalizer.Normalize(extracted.Blocks);
        if (blocks.Count == 0)
        {
            throw new DocumentRejectedException(RejectionReason.Empty, "The document contains no text.");
        }

        var document = new ExtractedDocument(documentId, blocks) { Properties = Normalize(extracted.Properties) };
        var characters = document.CharacterCount;
        if (characters > _options.MaxExtractedCharacters)
        {
            throw new DocumentRejectedException(
                RejectionReason.TooLarge,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The document holds {characters} characters of text; the limit is {_options.MaxExtractedCharacters}."));
        }

        return document;
    }

    /// <summary>Whatever an extractor (built in or a host's own) found, in the one form the index stores (<see cref="MetadataValues"/>).</summary>
    private static DocumentProperties Normalize(DocumentProperties properties) =>
        ReferenceEquals(properties, DocumentProperties.None)
            ? properties
            : new DocumentProperties(MetadataValues.Title(properties.Title), MetadataValues.Tags(properties.Tags), MetadataValues.Groups(properties.Acl));

    private ITextExtractor FindExtractor(string extension)
    {
        if (_extractorsByExtension.TryGetValue(extension, out var extractor))
        {
            return extractor;
        }

        var supported = string.Join(", ", SupportedExtensions);
        var message = extension.Length == 0
            ? $"The file name has no extension, so its format is unknown. Supported extensions: {supported}."
            : $"'{extension.ToLowerInvariant()}' files are not supported. Supported extensions: {supported}.";
        throw new DocumentRejectedException(RejectionReason.Unsupported, message);
    }
}
