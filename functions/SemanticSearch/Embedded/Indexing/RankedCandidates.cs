namespace SemanticSearch.Embedded.Indexing;

/// <summary>A chunk by its Lucene document number (in the searcher's reader) and its score in one ranking.</summary>
internal readonly record struct Candidate(int Doc, double Score);

/// <summary>
/// The best <c>capacity</c> candidates of a scan, best first; equal scores are ordered by chunk id, so every page of a
/// ranking is a slice of one total order.
/// </summary>
internal sealed class RankedCandidates(int capacity, IComparer<int> chunkIdOrder)
{
    // A heap with the weakest kept candidate at the root.
    private readonly List<Candidate> _heap = new(Math.Min(capacity, 4096) + 1);

    /// <summary>A score below this cannot enter (an equal one may, by chunk id).</summary>
    public double Threshold => _heap.Count < capacity ? double.NegativeInfinity : _heap[0].Score;

    public void Offer(int doc, double score)
    {
        var candidate = new Candidate(doc, score);
        if (_heap.Count < capacity)
        {
            _heap.Add(candidate);
            Up(_heap.Count - 1);
        }
        else if (capacity > 0 && Worse(_heap[0], candidate))
        {
            _heap[0] = candidate;
            Down(0);
        }
    }

    public List<Candidate> Drain()
    {
        var all = _heap.ToList();
        all.Sort((a, b) => Worse(a, b) ? 1 : Worse(b, a) ? -1 : 0);
        return all;
    }

    /// <summary>Whether <paramref name="a"/> ranks below <paramref name="b"/>.</summary>
    private bool Worse(Candidate a, Candidate b) =>
        a.Score != b.Score ? a.Score < b.Score : a.Doc != b.Doc && chunkIdOrder.Compare(a.Doc, b.Doc) > 0;

    private void Up(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(_heap[i], _heap[parent]))
            {
                return;
            }
            (_heap[i], _heap[parent]) = (_heap[parent], _heap[i]);
            i = parent;
        }
    }

    private void Down(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            var worst = i;
            if (left < _heap.Count && Worse(_heap[left], _heap[worst]))
            {
                worst = left;
            }
            if (left + 1 < _heap.Count && Worse(_heap[left + 1], _heap[worst]))
            {
                worst = left + 1;
            }
            if (worst == i)
            {
                return;
            }
            (_heap[i], _heap[worst]) = (_heap[worst], _heap[i]);
            i = worst;
        }
    }
}
