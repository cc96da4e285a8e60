using System.Text;
using SemanticSearch.Configuration;
using SemanticSearch.Extraction;

namespace SemanticSearch.Tests.Extraction;

/// <summary>Runs documents through the real facade, so every format test also covers normalization and limits.</summary>
internal static class ExtractionHarness
{
    public static Task<ExtractedDocument> ExtractAsync(string documentId, string text, IngestionOptions? options = null) =>
        ExtractAsync(documentId, Encoding.UTF8.GetBytes(text), options);

    public static async Task<ExtractedDocument> ExtractAsync(string documentId, byte[] bytes, IngestionOptions? options = null)
    {
        using var content = new MemoryStream(bytes);
        return await DocumentExtractor.CreateDefault(options).ExtractAsync(documentId, content, CancellationToken.None);
    }

    public static Task<DocumentRejectedException> RejectAsync(string documentId, string text, IngestionOptions? options = null) =>
        RejectAsync(documentId, Encoding.UTF8.GetBytes(text), options);

    public static async Task<DocumentRejectedException> RejectAsync(string documentId, byte[] bytes, IngestionOptions? options = null) =>
        await Assert.ThrowsAsync<DocumentRejectedException>(() => ExtractAsync(documentId, bytes, options));

    public static DocumentBlock Heading(string text, int level, int? page = null) => new(BlockKind.Heading, text, level, page);

    public static DocumentBlock Paragraph(string text, int? page = null) => new(BlockKind.Paragraph, text, Page: page);

    public static DocumentBlock ListItem(string text) => new(BlockKind.ListItem, text);

    public static DocumentBlock Code(string text) => new(BlockKind.Code, text);

    public static DocumentBlock TableRow(string text) => new(BlockKind.TableRow, text);

    public static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
