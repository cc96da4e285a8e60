using System.Diagnostics;
using Lucene.Net.Index;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Tells a reader cheaply whether another process may have committed to the index. Asking Lucene
/// (<c>DirectoryReader.OpenIfChanged</c>) lists and parses the folder: 0.4–1.4 ms, on every search of a process that
/// does not write (the result cache's key needs the generation first). Every commit rewrites the small
/// <c>segments.gen</c> file, so reading its 20 bytes and comparing them answers the same question for a few
/// microseconds; Lucene writes that file on a best-effort basis, so a full check still runs at least once a second.
/// </summary>
internal sealed class CommitWatch(string folder)
{
    private static readonly TimeSpan FullCheckEvery = TimeSpan.FromSeconds(1);

    private readonly string _stampFile = Path.Combine(folder, IndexFileNames.SEGMENTS_GEN);
    private byte[]? _seen;
    private long _checkedAt;

    /// <summary>The commit stamp now; null when there is none to read (no commit yet, or an index without it).</summary>
    public byte[]? Stamp()
    {
        try
        {
            return File.ReadAllBytes(_stampFile);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether nothing can have changed since <see cref="Checked"/>: the same stamp, seen less than a second ago.</summary>
    public bool Unchanged(byte[]? stamp) =>
        stamp is not null && _seen is not null && stamp.AsSpan().SequenceEqual(_seen)
        && Stopwatch.GetElapsedTime(_checkedAt) < FullCheckEvery;

    /// <summary>The reader now reflects the commit that <paramref name="stamp"/> (read before it looked) names.</summary>
    public void Checked(byte[]? stamp)
    {
        _seen = stamp;
        _checkedAt = Stopwatch.GetTimestamp();
    }
}
