// TEMPORARY: replaced by the extraction branch on merge.
namespace SemanticSearch.Extraction;
public sealed class DocumentExtractor
{
    public Task<ExtractedDocument> ExtractAsync(string documentId, Stream content, CancellationToken cancellationToken) => throw new NotImplementedException();
}
