using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Lucene.Net.Index;
using Lucene.Net.Util;

namespace SemanticSearch.Embedded.Indexing;

/// <summary>
/// The vectors of one immutable Lucene segment as one contiguous float array (row = document in the segment), read
/// once from the segment's doc values and shared by every reader that holds the segment; the 1-bit codes of the
/// quantized scan are built from it on first use. A deletion never touches it: live docs are checked in the scan.
/// </summary>
internal sealed class SegmentVectors
{
    private readonly Lock _codesGate = new();
    private ulong[]? _codes;

    private SegmentVectors(int dimensions, int maxDoc)
    {
        Dimensions = dimensions;
        MaxDoc = maxDoc;
        Values = new float[(long)maxDoc * dimensions];
        Present = new FixedBitSet(Math.Max(1, maxDoc));
        Mean = new float[dimensions];
    }

    public int Dimensions { get; }

    public int MaxDoc { get; }

    /// <summary>maxDoc × dimensions floats; rows of documents without a vector are zero.</summary>
    public float[] Values { get; }

    /// <summary>Documents of the segment that have a vector.</summary>
    public FixedBitSet Present { get; }

    /// <summary>The mean vector of the segment: codes are the signs of (vector − mean), which spreads clustered vectors.</summary>
    public float[] Mean { get; }

    public int CodeWords => (Dimensions + 63) / 64;

    public static SegmentVectors Load(AtomicReader reader, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var vectors = new SegmentVectors(dimensions, reader.MaxDoc);
        var values = reader.GetBinaryDocValues(ChunkFields.Vector);
        var withVector = reader.GetDocsWithField(ChunkFields.Vector);
        if (values is null || withVector is null)
        {
            return vectors;
        }
        var bytesPerVector = dimensions * sizeof(float);
        var bytes = new BytesRef();
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            if (!withVector.Get(doc))
            {
                continue;
            }
            values.Get(doc, bytes);
            if (bytes.Length != bytesPerVector)
            {
                throw new InvalidDataException($"The vector of document {doc} has {bytes.Length} bytes; the index holds {bytesPerVector}.");
            }
            MemoryMarshal.Cast<byte, float>(bytes.Bytes.AsSpan(bytes.Offset, bytes.Length)).CopyTo(vectors.Values.AsSpan(doc * dimensions, dimensions));
            vectors.Present.Set(doc);
        }
        return vectors;
    }

    public ReadOnlySpan<float> Row(int doc) => Values.AsSpan(doc * Dimensions, Dimensions);

    /// <summary>maxDoc × <see cref="CodeWords"/> sign bits, built on first use (32× smaller than the floats).</summary>
    public ulong[] Codes
    {
        get
        {
            if (Volatile.Read(ref _codes) is { } built)
            {
                return built;
            }
            lock (_codesGate)
            {
                return _codes ??= BuildCodes();
            }
        }
    }

    /// <summary>Sign bits of (vector − this segment's mean).</summary>
    public void Encode(ReadOnlySpan<float> vector, Span<ulong> code)
    {
        code.Clear();
        for (var i = 0; i < Dimensions; i++)
        {
            if (vector[i] > Mean[i])
            {
                code[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    public static int Hamming(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        var distance = 0;
        for (var i = 0; i < a.Length; i++)
        {
            distance += BitOperations.PopCount(a[i] ^ b[i]);
        }
        return distance;
    }

    private ulong[] BuildCodes()
    {
        var count = Present.Cardinality;
        if (count > 0)
        {
            for (var doc = 0; doc < MaxDoc; doc++)
            {
                if (Present.Get(doc))
                {
                    TensorPrimitives.Add(Mean, Row(doc), Mean);
                }
            }
            TensorPrimitives.Divide(Mean, count, Mean);
        }
        var words = CodeWords;
        var codes = new ulong[(long)MaxDoc * words];
        for (var doc = 0; doc < MaxDoc; doc++)
        {
            if (Present.Get(doc))
            {
                Encode(Row(doc), codes.AsSpan(doc * words, words));
            }
        }
        return codes;
    }
}
