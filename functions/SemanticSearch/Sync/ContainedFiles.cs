namespace SemanticSearch.Sync;

/// <summary>
/// The files under a root folder that are really inside it. A link to a file counts only when what it finally points at
/// lies inside the root too; a link that leads out or a chain that never ends is skipped and reported. Links to folders
/// are never followed: one that leads out is reported, and one that stays inside adds nothing its target does not
/// already give (and could make a loop). Nothing outside the root is ever listed or opened through this class.
/// </summary>
public sealed class ContainedFiles
{
    /// <summary>Links followed in one chain before the chain counts as a loop (Linux's own limit is 40).</summary>
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.Hidden | FileAttributes.System,
        ReturnSpecialDirectories = false,
    };

    private readonly string _realRootWithSeparator;

    public ContainedFiles(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        RealRoot = RealPath(Root) ?? Root;
        _realRootWithSeparator = Path.TrimEndingDirectorySeparator(RealRoot) + Path.DirectorySeparatorChar;
    }

    /// <summary>The root as given (absolute): paths and document ids are spelled from it.</summary>
    public string Root { get; }

    /// <summary>The root with every link in its own path resolved.</summary>
    public string RealRoot { get; }

    /// <summary>
    /// Every file below <paramref name="folder"/> (the root or a folder inside it) that is inside the root, in a stable
    /// order, without descending into <paramref name="skipFolder"/>s. <paramref name="skippedLink"/> hears of each link
    /// left out, with the reason.
    /// </summary>
    public IReadOnlyList<string> Enumerate(string folder, Func<string, bool> skipFolder, Action<string, string> skippedLink)
    {
        ArgumentNullException.ThrowIfNull(skipFolder);
        ArgumentNullException.ThrowIfNull(skippedLink);
        var files = new List<string>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(folder));
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            if (RealPath(directory) is not { } real || !IsInside(real) || !visited.Add(real))
            {
                continue;
            }
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", OneLevel);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry.LinkTarget is not null && (Resolve(entry.FullName, skippedLink) is null || Directory.Exists(entry.FullName)))
                {
                    continue;
                }
                if (Directory.Exists(entry.FullName))
                {
                    if (!skipFolder(entry.FullName))
                    {
                        pending.Push(entry.FullName);
                    }
                }
                else if (File.Exists(entry.FullName))
                {
                    files.Add(entry.FullName);
                }
            }
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Whether <paramref name="path"/>, with every link in it resolved, lies inside the root (a file about to be opened, say).</summary>
    public bool Contains(string path) => RealPath(path) is { } real && IsInside(real);

    /// <summary>The path with every link on it resolved, or null for a chain of links that does not end (a loop).</summary>
    public static string? RealPath(string path)
    {
        var current = Path.GetFullPath(path);
        for (var hops = 0; hops <= MaxLinkHops; hops++)
        {
            var root = Path.GetPathRoot(current) ?? string.Empty;
            var segments = current[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var prefix = root;
            string? rewritten = null;
            for (var i = 0; i < segments.Length; i++)
            {
                prefix = Path.Combine(prefix, segments[i]);
                string? target;
                try
                {
                    target = new FileInfo(prefix).LinkTarget;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    target = null;
                }
                if (target is not null)
                {
                    var resolved = Path.GetFullPath(target, Path.GetDirectoryName(prefix) ?? root);
                    rewritten = Path.Combine([resolved, .. segments[(i + 1)..]]);
                    break;
                }
            }
            if (rewritten is null)
            {
                return current;
            }
            current = Path.GetFullPath(rewritten);
        }
        return null;
    }

    private string? Resolve(string link, Action<string, string> skippedLink)
    {
        var real = RealPath(link);
        if (real is null)
        {
            skippedLink(link, "a chain of links that never ends");
            return null;
        }
        if (!IsInside(real))
        {
            skippedLink(link, $"it leads to {real}, outside {Root}");
            return null;
        }
        return real;
    }

    private bool IsInside(string realPath) =>
        (Path.TrimEndingDirectorySeparator(realPath) + Path.DirectorySeparatorChar).StartsWith(_realRootWithSeparator, StringComparison.Ordinal);
}
