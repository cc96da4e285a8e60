using System.Numerics.Tensors;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// Every chunk vector of the embedded index in one contiguous array, scanned exactly with SIMD dot products
/// (vectors are unit length, so the dot product is the cosine). Exact search over 100k × 384 floats takes a few
/// milliseconds, which is why there is no approximate structure to keep consistent. Not thread-safe: the index
/// guards it with its reader/writer lock.
/// </summary>
internal sealed class VectorMatrix(int dimensions)
{
    private float[] _values = new float[dimensions * 1024];
    private long[] _rowIds = new long[1024];
    private readonly Dictionary<long, int> _slotOfRow = [];
    private readonly Stack<int> _freeSlots = new();
    private int _slotsUsed;

    public int Dimensions { get; } = dimensions;

    public int Count => _slotOfRow.Count;

    public void Add(long rowId, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"Vector has {vector.Length} dimensions; the index holds {Dimensions}.", nameof(vector));
        }
        if (_slotOfRow.ContainsKey(rowId))
        {
            Remove(rowId);
        }
        var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : NextSlot();
        vector.CopyTo(_values.AsSpan(slot * Dimensions, Dimensions));
        _rowIds[slot] = rowId;
        _slotOfRow[rowId] = slot;
    }

    public void Remove(long rowId)
    {
        if (_slotOfRow.Remove(rowId, out var slot))
        {
            _rowIds[slot] = -1;
            _freeSlots.Push(slot);
        }
    }

    /// <summary>The <paramref name="top"/> rows most similar to <paramref name="query"/>, best first.</summary>
    public IReadOnlyList<(long RowId, float Similarity)> Nearest(ReadOnlySpan<float> query, int top)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"Query vector has {query.Length} dimensions; the index holds {Dimensions}.", nameof(query));
        }
        var best = new PriorityQueue<long, float>(top + 1);
        var values = _values.AsSpan();
        for (var slot = 0; slot < _slotsUsed; slot++)
        {
            var rowId = _rowIds[slot];
            if (rowId < 0)
            {
                continue;
            }
            var similarity = TensorPrimitives.Dot(query, values.Slice(slot * Dimensions, Dimensions));
            if (best.Count < top)
            {
                best.Enqueue(rowId, similarity);
            }
            else if (best.TryPeek(out _, out var worst) && similarity > worst)
            {
                best.DequeueEnqueue(rowId, similarity);
            }
        }
        var result = new (long, float)[best.Count];
        for (var i = result.Length - 1; i >= 0; i--)
        {
            best.TryDequeue(out var rowId, out var similarity);
            result[i] = (rowId, similarity);
        }
        return result;
    }

    private int NextSlot()
    {
        if (_slotsUsed == _rowIds.Length)
        {
            Array.Resize(ref _rowIds, _rowIds.Length * 2);
            Array.Resize(ref _values, _values.Length * 2);
        }
        return _slotsUsed++;
    }
}
