using SemanticSearch.Indexing;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The exclusive OS lock that makes one process the index's only writer. Lucene.NET 4.8's own <c>write.lock</c> does
/// not exclude a second process on Linux (its native lock falls back to a shared file lock there: measured in the
/// prototype), so this one does: <see cref="FileShare.None"/> is an exclusive <c>flock</c> on Unix and a sharing lock on
/// Windows, and the OS drops it when the process dies, so a killed writer never leaves the index locked.
/// </summary>
internal sealed class WriterLock : IDisposable
{
    public const string FileName = "writer.lock";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly FileStream _file;

    private WriterLock(FileStream file) => _file = file;

    /// <exception cref="IndexLockedException">Another process held the lock for all of <paramref name="timeout"/>.</exception>
    public static async Task<WriterLock> AcquireAsync(string folder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new WriterLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException error) when (File.Exists(path) && error is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new IndexLockedException(
                        $"Another process is writing the index in {folder} (it holds {FileName}); waited {timeout.TotalSeconds:0.#} s. " +
                        "One process writes at a time: let the other one finish (a `semantic-search ingest`, or a server that " +
                        "ingests a folder or a container), or stop it. Searching the index from any number of processes is fine.",
                        error);
                }
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
