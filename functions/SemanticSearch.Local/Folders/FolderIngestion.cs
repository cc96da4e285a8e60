using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SemanticSearch.Configuration;
using SemanticSearch.Indexing;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Local.Folders;

/// <summary>
/// Ingestion from a folder: a document's id is its path relative to the folder, with '/' separators (the same shape
/// as a blob name). Hidden files and folders (".git", ".DS_Store") and editor temporaries are not documents.
/// </summary>
public sealed partial class FolderIngestion(
    DocumentIngestor ingestor,
    IDocumentStatusStore statuses,
    ISearchIndex index,
    IOptions<SemanticSearchOptions> options,
    ILogger<FolderIngestion> logger)
{
    // The data folder may sit inside the documents folder; its files must never be taken for documents (each write
    // would trigger the watcher, whose status write would trigger it again).
    private readonly string _dataFolder = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Value.Data.Path)) + Path.DirectorySeparatorChar;

    /// <summary>Whether a path under the documents folder is not a document (hidden, temporary, or our own data).</summary>
    public bool IsExcluded(string root, string path) =>
        IsIgnored(DocumentIdOf(root, path))
        || (Path.GetFullPath(path) + Path.DirectorySeparatorChar).StartsWith(_dataFolder, StringComparison.Ordinal);

    public static string DocumentIdOf(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    public static bool IsIgnored(string documentId)
    {
        var segments = documentId.Split('/');
        var name = segments[^1];
        return segments.Any(s => s.StartsWith('.'))
            || name.StartsWith("~$", StringComparison.Ordinal)
            || name.EndsWith('~')
            || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Every document under <paramref name="folder"/> (the root or a folder below it), in a stable order.</summary>
    public IReadOnlyList<string> EnumerateDocuments(string root, string? folder = null) =>
        [.. Directory.EnumerateFiles(folder ?? root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System })
            .Where(path => !IsExcluded(root, path))
            .Order(StringComparer.Ordinal)];

    /// <summary>
    /// Brings the index in line with the folder: ingests every file (unchanged ones cost a hash) and deletes the
    /// documents whose files are gone.
    /// </summary>
    public async Task<FolderSyncSummary> SyncAsync(string root, IProgress<IngestionResult>? progress, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        var files = EnumerateDocuments(root);
        var results = new List<IngestionResult>(files.Count);
        foreach (var file in files)
        {
            var result = await IngestFileAsync(root, file, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        var present = files.Select(f => DocumentIdOf(root, f)).ToHashSet(StringComparer.Ordinal);
        foreach (var orphan in (await KnownDocumentsAsync(cancellationToken).ConfigureAwait(false)).Where(id => !present.Contains(id)))
        {
            var result = await ingestor.DeleteAsync(orphan, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }
        return new FolderSyncSummary(results, TimeProvider.System.GetElapsedTime(started));
    }

    /// <summary>Ingests one file, or deletes its document if the file is gone. Never throws for a bad document.</summary>
    public async Task<IngestionResult> IngestFileAsync(string root, string path, CancellationToken cancellationToken)
    {
        var documentId = DocumentIdOf(root, path);
        FileStream stream;
        try
        {
            // Share everything: an editor may still hold the file; we read a snapshot and the watcher brings the next.
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return await ingestor.DeleteAsync(documentId, cancellationToken).ConfigureAwait(false);
        }
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await ingestor.IngestAsync(documentId, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Already logged and recorded as failed by the ingestor; one file must not stop the folder.
                LogSkipped(logger, documentId, ex.Message);
                return new IngestionResult(documentId, IngestionOutcome.Failed, 0, 0, 0, ex.Message, TimeSpan.Zero);
            }
        }
    }

    /// <summary>Deletes a removed file's document, or every document below a removed folder.</summary>
    public async Task<IReadOnlyList<IngestionResult>> RemoveAsync(string root, string path, CancellationToken cancellationToken)
    {
        var documentId = DocumentIdOf(root, path);
        var below = documentId + "/";
        var results = new List<IngestionResult>();
        foreach (var id in (await KnownDocumentsAsync(cancellationToken).ConfigureAwait(false))
            .Where(id => id == documentId || id.StartsWith(below, StringComparison.Ordinal)))
        {
            results.Add(await ingestor.DeleteAsync(id, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<HashSet<string>> KnownDocumentsAsync(CancellationToken cancellationToken)
    {
        var known = (await statuses.ListAsync(cancellationToken).ConfigureAwait(false)).Select(s => s.DocumentId).ToHashSet(StringComparer.Ordinal);
        known.UnionWith(await index.ListDocumentIdsAsync(cancellationToken).ConfigureAwait(false));
        return known;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped {DocumentId} for now: {Error}")]
    private static partial void LogSkipped(ILogger logger, string documentId, string error);
}
