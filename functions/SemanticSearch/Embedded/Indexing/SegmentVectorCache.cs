using System.Globalization;
using Lucene.Net.Index;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The loaded vectors of each segment, by segment identity — name, creation time and size — rather than by reader
/// instance: a segment reopened by another reader (the writer's near-real-time reader after a commit-only reader, or
/// the other way round) is the same immutable data, so its vectors are read from disk once per process.
/// </summary>
internal sealed class SegmentVectorCache(int dimensions)
{
    private readonly Dictionary<string, SegmentVectors> _segments = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Dimensions => dimensions;

    public SegmentVectors Get(AtomicReader segment)
    {
        var key = KeyOf(segment);
        lock (_gate)
        {
            if (!_segments.TryGetValue(key, out var vectors))
            {
                vectors = SegmentVectors.Load(segment, dimensions);
                _segments[key] = vectors;
            }
            return vectors;
        }
    }

    /// <summary>Drops the vectors of segments the reader no longer has (merged away); searches still running keep theirs.</summary>
    public void Retain(IndexReader reader)
    {
        var live = reader.Leaves.Select(leaf => KeyOf(leaf.AtomicReader)).ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var key in _segments.Keys.Where(key => !live.Contains(key)).ToList())
            {
                _segments.Remove(key);
            }
        }
    }

    private static string KeyOf(AtomicReader segment)
    {
        if (segment is not SegmentReader reader)
        {
            throw new InvalidOperationException($"Expected a segment of the index, got {segment.GetType().Name}.");
        }
        var info = reader.SegmentInfo.Info;
        var created = info.Diagnostics?.TryGetValue("timestamp", out var timestamp) == true ? timestamp : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{info.Name}/{created}/{reader.MaxDoc}");
    }
}
