using System.Runtime.InteropServices;

namespace SemanticSearch.Embeddings;

/// <summary>Vectors stored compactly as little-endian float32 bytes (4 bytes a dimension).</summary>
public static class VectorBytes
{
    public static byte[] ToBytes(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static float[] ToVector(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % sizeof(float) != 0)
        {
            throw new InvalidDataException($"A stored vector has {bytes.Length} bytes, not a multiple of {sizeof(float)}.");
        }
        return MemoryMarshal.Cast<byte, float>(bytes).ToArray();
    }
}
