namespace SemanticSearch.Ingestion;

/// <summary>What a document id — a '/'-separated path or blob name — says: its file name, type and folders.</summary>
public static class DocumentPaths
{
    public static string FileNameOf(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var slash = documentId.LastIndexOf('/');
        return slash < 0 ? documentId : documentId[(slash + 1)..];
    }

    /// <summary>The extension without the dot, lower case; empty when there is none.</summary>
    public static string TypeOf(string documentId)
    {
        var name = FileNameOf(documentId);
        var dot = name.LastIndexOf('.');
        return dot <= 0 || dot == name.Length - 1 ? string.Empty : name[(dot + 1)..].ToLowerInvariant();
    }

    /// <summary>Every folder the document sits in, outermost first: "a/b/c.md" → "a", "a/b".</summary>
    public static IReadOnlyList<string> FoldersOf(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var folders = new List<string>();
        for (var slash = documentId.IndexOf('/'); slash > 0; slash = documentId.IndexOf('/', slash + 1))
        {
            folders.Add(documentId[..slash]);
        }
        return folders;
    }
}
