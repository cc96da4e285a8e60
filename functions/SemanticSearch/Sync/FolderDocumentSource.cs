using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SemanticSearch.Ingestion;

namespace SemanticSearch.Sync;

/// <summary>
/// The documents under a folder. A document's id is its path relative to the folder with '/' separators (the same
/// shape as a blob name); its version is the file's size and last write time, so an unchanged file is never read.
/// Hidden files and folders (".git", ".DS_Store"), editor temporaries and an excluded folder (the data folder, which
/// may sit inside the documents folder) are not documents. Nothing outside the folder is ever read: symbolic links
/// that lead out of it, and link loops, are skipped with one log line (<see cref="ContainedFiles"/>).
/// </summary>
public sealed partial class FolderDocumentSource : IDocumentSource
{
    private readonly string? _excluded;
    private readonly ContainedFiles _files;
    private readonly ILogger _logger;

    /// <param name="root">The documents folder.</param>
    /// <param name="excludedFolder">A folder below it whose files are never documents (the data folder: each write there would otherwise look like a new document).</param>
    /// <param name="logger">Where skipped links are reported.</param>
    public FolderDocumentSource(string root, string? excludedFolder = null, ILogger<FolderDocumentSource>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _files = new ContainedFiles(root);
        Root = _files.Root;
        _excluded = excludedFolder is null ? null : Path.TrimEndingDirectorySeparator(Path.GetFullPath(excludedFolder)) + Path.DirectorySeparatorChar;
        _logger = logger ?? NullLogger<FolderDocumentSource>.Instance;
    }

    /// <summary>The folder's absolute path.</summary>
    public string Root { get; }

    public string Description => $"folder {Root}";

    public async IAsyncEnumerable<SourceDocument> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var path in EnumerateFiles(Root))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Describe(path) is { } document)
            {
                yield return document;
            }
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<SourceContent?> OpenAsync(SourceDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (PathOf(document.Id) is not { } path || !_files.Contains(path))
        {
            // An id that is not a path inside the folder (or a file that became a link out of it since it was listed).
            return Task.FromResult<SourceContent?>(null);
        }
        try
        {
            // Share everything: an editor may still hold the file; we read a snapshot and the watcher brings the next.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
            // Described after opening: should the file change while it is read, the stamp recorded is the older one,
            // which only makes the next sync read it once more.
            return Task.FromResult<SourceContent?>(new SourceContent(Describe(path) ?? document, stream));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<SourceContent?>(null);
        }
    }

    public Task<SourceDocument?> FindAsync(string documentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(documentId);
        return Task.FromResult(PathOf(documentId) is { } path && File.Exists(path) && _files.Contains(path) ? Describe(path) : null);
    }

    /// <summary>The document a file is, or null when the file is not a document (hidden, temporary, excluded, gone).</summary>
    public SourceDocument? Describe(string path)
    {
        if (IsExcluded(path))
        {
            return null;
        }
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }
        var modified = new DateTimeOffset(file.LastWriteTimeUtc, TimeSpan.Zero);
        return new SourceDocument(DocumentIdOf(path), string.Create(CultureInfo.InvariantCulture, $"{file.Length}-{modified.UtcTicks}"), modified);
    }

    /// <summary>Every document file under <paramref name="folder"/> (a folder below the root), in a stable order.</summary>
    public IReadOnlyList<string> EnumerateFiles(string folder) =>
        [.. _files.Enumerate(folder, IsExcluded, (link, reason) => LogSkippedLink(_logger, link, reason)).Where(path => !IsExcluded(path))];

    /// <summary>Whether a path under the folder is not a document (hidden, temporary, or in the excluded folder).</summary>
    public bool IsExcluded(string path) =>
        IsIgnored(DocumentIdOf(path))
        || (_excluded is not null && (Path.GetFullPath(path) + Path.DirectorySeparatorChar).StartsWith(_excluded, StringComparison.Ordinal));

    public string DocumentIdOf(string path) => Path.GetRelativePath(Root, Path.GetFullPath(path)).Replace('\\', '/');

    /// <summary>Hidden (a segment starting with '.') and editor temporaries ("~$x.docx", "x~", ".tmp", ".swp").</summary>
    public static bool IsIgnored(string documentId)
    {
        ArgumentNullException.ThrowIfNull(documentId);
        var segments = documentId.Split('/');
        var name = segments[^1];
        return segments.Any(s => s.StartsWith('.'))
            || name.StartsWith("~$", StringComparison.Ordinal)
            || name.EndsWith('~')
            || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The file a document id names, or null when the id is not a plain relative path (a '..' or rooted id is never a path).</summary>
    private string? PathOf(string documentId)
    {
        var segments = documentId.Split('/');
        if (Path.IsPathRooted(documentId) || documentId.Contains('\\', StringComparison.Ordinal) || segments.Any(s => s is "" or "." or ".."))
        {
            return null;
        }
        return Path.Combine(Root, Path.Combine(segments));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped the link {Path}: {Reason}")]
    private static partial void LogSkippedLink(ILogger logger, string path, string reason);
}
