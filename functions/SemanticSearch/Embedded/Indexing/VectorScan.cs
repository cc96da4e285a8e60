using System.Numerics.Tensors;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Vector search over the segments of one reader, restricted to the documents the filter lets through (and live), so a
/// filtered search still returns <c>depth</c> candidates whenever that many match. Vectors are unit length, so the dot
/// product is the cosine. Exact: one SIMD dot product per allowed chunk. Quantized: Hamming distance between 1-bit codes
/// picks a pool of <c>rerank</c> candidates, which are then scored exactly — no graph to maintain, deletes and filters
/// cost nothing extra, and the result is exact whenever the true top sits in the pool.
/// </summary>
internal static class VectorScan
{
    public static List<Candidate> Nearest(
        IndexSearcher searcher, SegmentVectorCache vectors, ReadOnlySpan<float> query, Filter filter, int depth, int? rerank, ChunkIdOrder order)
    {
        if (query.Length != vectors.Dimensions)
        {
            throw new ArgumentException($"The query vector has {query.Length} dimensions; the index holds {vectors.Dimensions}.", nameof(query));
        }
        var best = new RankedCandidates(depth, order);
        var leaves = searcher.IndexReader.Leaves;
        if (rerank is not int pool)
        {
            foreach (var leaf in leaves)
            {
                var segment = vectors.Get(leaf.AtomicReader);
                var allowed = Allowed(leaf, filter, segment);
                for (var doc = allowed.NextSetBit(0); doc >= 0; doc = doc + 1 < segment.MaxDoc ? allowed.NextSetBit(doc + 1) : -1)
                {
                    var similarity = TensorPrimitives.Dot(query, segment.Row(doc));
                    if (similarity >= best.Threshold)
                    {
                        best.Offer(leaf.DocBase + doc, similarity);
                    }
                }
            }
            return best.Drain();
        }

        var nearest = new PriorityQueue<(int Doc, SegmentVectors Segment, int Row), int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var capacity = Math.Max(pool, depth * 10);
        Span<ulong> code = stackalloc ulong[(vectors.Dimensions + 63) / 64];
        foreach (var leaf in leaves)
        {
            var segment = vectors.Get(leaf.AtomicReader);
            var codes = segment.Codes.AsSpan();
            var words = segment.CodeWords;
            segment.Encode(query, code);
            var allowed = Allowed(leaf, filter, segment);
            for (var doc = allowed.NextSetBit(0); doc >= 0; doc = doc + 1 < segment.MaxDoc ? allowed.NextSetBit(doc + 1) : -1)
            {
                var distance = SegmentVectors.Hamming(code, codes.Slice(doc * words, words));
                if (nearest.Count < capacity)
                {
                    nearest.Enqueue((leaf.DocBase + doc, segment, doc), distance);
                }
                else if (nearest.TryPeek(out _, out var worst) && distance < worst)
                {
                    nearest.DequeueEnqueue((leaf.DocBase + doc, segment, doc), distance);
                }
            }
        }
        foreach (var (doc, segment, row) in nearest.UnorderedItems.Select(item => item.Element))
        {
            best.Offer(doc, TensorPrimitives.Dot(query, segment.Row(row)));
        }
        return best.Drain();
    }

    /// <summary>Rows of the segment a search may return: live, passing the filter, and holding a vector.</summary>
    private static FixedBitSet Allowed(AtomicReaderContext leaf, Filter filter, SegmentVectors segment)
    {
        var allowed = new FixedBitSet(Math.Max(1, segment.MaxDoc));
        var live = leaf.AtomicReader.LiveDocs;
        var iterator = filter.GetDocIdSet(leaf, live)?.GetIterator();
        if (iterator is not null)
        {
            allowed.Or(iterator);
        }
        allowed.And(segment.Present);
        if (live is not null)
        {
            for (var doc = allowed.NextSetBit(0); doc >= 0; doc = doc + 1 < segment.MaxDoc ? allowed.NextSetBit(doc + 1) : -1)
            {
                if (!live.Get(doc))
                {
                    allowed.Clear(doc);
                }
            }
        }
        return allowed;
    }
}
