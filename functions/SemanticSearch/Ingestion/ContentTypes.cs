namespace SemanticSearch.Ingestion;

/// <summary>The MIME type of each format the extractors read, by file extension.</summary>
public static class ContentTypes
{
    private static readonly Dictionary<string, string> ByType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["txt"] = "text/plain",
        ["text"] = "text/plain",
        ["md"] = "text/markdown",
        ["markdown"] = "text/markdown",
        ["html"] = "text/html",
        ["htm"] = "text/html",
        ["pdf"] = "application/pdf",
        ["docx"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ["json"] = "application/json",
    };

    public static string Of(string documentId) =>
        ByType.TryGetValue(DocumentPaths.TypeOf(documentId), out var type) ? type : "application/octet-stream";
}
