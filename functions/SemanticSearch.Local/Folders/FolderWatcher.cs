using System.Collections.Concurrent;
using SemanticSearch.Sync;

namespace SemanticSearch.Local.Folders;

/// <summary>
/// Keeps the index in line with a folder while the server runs: a full pass at start, then every created, changed,
/// renamed or deleted file. Events are debounced per path (an editor's save is several events, a copy many), and a
/// lost-events signal from the operating system triggers a full pass, so the index is never wrong for long.
/// The watcher starts before the first pass, so nothing that changes during it is missed.
/// </summary>
public sealed partial class FolderWatcher(DocumentSync sync, FolderDocumentSource folder, ILogger<FolderWatcher> logger) : BackgroundService
{
    /// <summary>How long a path must be quiet before it is processed.</summary>
    internal static readonly TimeSpan QuietPeriod = TimeSpan.FromMilliseconds(400);

    private readonly ConcurrentDictionary<string, long> _pending = new(StringComparer.Ordinal);
    private volatile bool _rescan;

    /// <summary>Completes when the first full pass has finished (tests and the command line wait on it).</summary>
    public Task<SyncSummary> InitialSync => _initialSync.Task;

    private readonly TaskCompletionSource<SyncSummary> _initialSync = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(folder.Root);
        using var watcher = new FileSystemWatcher(folder.Root)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            InternalBufferSize = 64 * 1024,
        };
        watcher.Created += (_, e) => Touch(e.FullPath);
        watcher.Changed += (_, e) => Touch(e.FullPath);
        watcher.Deleted += (_, e) => Touch(e.FullPath);
        watcher.Renamed += (_, e) =>
        {
            Touch(e.OldFullPath);
            Touch(e.FullPath);
        };
        watcher.Error += (_, e) =>
        {
            LogEventsLost(logger, e.GetException());
            _rescan = true;
        };
        watcher.EnableRaisingEvents = true;

        try
        {
            var summary = await FullPassAsync(stoppingToken).ConfigureAwait(false);
            _initialSync.TrySetResult(summary);
        }
        catch (Exception ex)
        {
            _initialSync.TrySetException(ex);
            throw;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (_rescan)
            {
                _rescan = false;
                _pending.Clear();
                await FullPassAsync(stoppingToken).ConfigureAwait(false);
                continue;
            }
            var now = TimeProvider.System.GetTimestamp();
            foreach (var (path, lastEvent) in _pending)
            {
                if (TimeProvider.System.GetElapsedTime(lastEvent, now) >= QuietPeriod && _pending.TryRemove(new KeyValuePair<string, long>(path, lastEvent)))
                {
                    await ProcessAsync(path, stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }

    private void Touch(string path)
    {
        if (!folder.IsExcluded(path))
        {
            _pending[path] = TimeProvider.System.GetTimestamp();
        }
    }

    private Task<SyncSummary> FullPassAsync(CancellationToken cancellationToken) =>
        sync.SyncAsync(folder, null, cancellationToken);

    private async Task ProcessAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            if (Directory.Exists(path))
            {
                // A folder moved or copied in: take every file under it.
                foreach (var file in folder.EnumerateFiles(path))
                {
                    await sync.SyncDocumentAsync(folder, folder.DocumentIdOf(file), cancellationToken).ConfigureAwait(false);
                }
            }
            else if (File.Exists(path))
            {
                await sync.SyncDocumentAsync(folder, folder.DocumentIdOf(path), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await sync.RemoveGoneAsync(folder, folder.DocumentIdOf(path), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Never let one path stop the watcher; the next event or full pass tries again.
            LogProcessFailed(logger, ex, path);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The folder watcher lost events; a full pass follows")]
    private static partial void LogEventsLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not process {Path}")]
    private static partial void LogProcessFailed(ILogger logger, Exception exception, string path);
}
