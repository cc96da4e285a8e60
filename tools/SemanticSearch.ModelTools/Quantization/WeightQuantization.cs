using System.Runtime.InteropServices;
using Onnx;

namespace SemanticSearch.ModelTools;

/// <summary>The arithmetic of weight quantization: a <c>[rows, columns]</c> float matrix to 8-bit values and scales.</summary>
internal static class WeightQuantization
{
    /// <summary>The quantized matrix (int8 or uint8 bytes, row-major), its scales and zero points (one per column, or one).</summary>
    public sealed record Result(byte[] Values, float[] Scales, byte[] ZeroPoints);

    /// <summary>A float tensor's values, from raw_data (little-endian) or float_data.</summary>
    public static float[] ReadFloats(TensorProto tensor, int count)
    {
        float[] values;
        if (!tensor.RawData.IsEmpty)
        {
            if (tensor.RawData.Length != count * sizeof(float))
            {
                throw new InvalidDataException($"Initializer {tensor.Name} has {tensor.RawData.Length} bytes of raw data for {count} floats.");
            }

            values = MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
            if (!BitConverter.IsLittleEndian)
            {
                // ONNX raw_data is little-endian whatever the machine.
                var raw = MemoryMarshal.Cast<float, int>(values.AsSpan());
                for (int i = 0; i < raw.Length; i++)
                {
                    raw[i] = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(raw[i]);
                }
            }
        }
        else
        {
            if (tensor.FloatData.Count != count)
            {
                throw new InvalidDataException($"Initializer {tensor.Name} has {tensor.FloatData.Count} floats, expected {count}.");
            }

            values = [.. tensor.FloatData];
        }

        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new InvalidDataException($"Initializer {tensor.Name} holds a non-finite value; it cannot be quantized.");
            }
        }

        return values;
    }

    public static Result Quantize(float[] weights, int rows, int columns, DynamicQuantizationOptions options)
    {
        int groups = options.PerChannel ? columns : 1;
        var scales = new float[groups];
        var zeroPoints = new byte[groups];
        var quantized = new byte[weights.Length];

        // Per channel, a group is one output column (a stride-`columns` slice); per tensor, the whole matrix.
        var minimum = new float[groups];
        var maximum = new float[groups];
        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int group = options.PerChannel ? column : 0;
                float value = weights[(row * columns) + column];
                minimum[group] = MathF.Min(minimum[group], value);
                maximum[group] = MathF.Max(maximum[group], value);
            }
        }

        bool signed = options.WeightType == QuantizedWeightType.SignedSymmetric;
        for (int group = 0; group < groups; group++)
        {
            if (signed)
            {
                // Symmetric: zero point 0, ±127 (±63 reduced) so that -max and +max are both representable.
                float limit = options.ReduceRange ? 63f : 127f;
                float absoluteMax = MathF.Max(MathF.Abs(minimum[group]), MathF.Abs(maximum[group]));
                scales[group] = absoluteMax > 0 ? absoluteMax / limit : 1f;
                zeroPoints[group] = 0;
            }
            else
            {
                // Asymmetric over a range that includes 0 (min ≤ 0 ≤ max, since the accumulators start at 0).
                float limit = options.ReduceRange ? 127f : 255f;
                float range = maximum[group] - minimum[group];
                scales[group] = range > 0 ? range / limit : 1f;
                zeroPoints[group] = (byte)Math.Clamp(MathF.Round(-minimum[group] / scales[group], MidpointRounding.ToEven), 0f, limit);
            }
        }

        for (int row = 0; row < rows; row++)
        {
            for (int column = 0; column < columns; column++)
            {
                int group = options.PerChannel ? column : 0;
                int index = (row * columns) + column;
                float scaled = MathF.Round(weights[index] / scales[group], MidpointRounding.ToEven);
                if (signed)
                {
                    float limit = options.ReduceRange ? 63f : 127f;
                    quantized[index] = unchecked((byte)(sbyte)Math.Clamp(scaled, -limit, limit));
                }
                else
                {
                    float limit = options.ReduceRange ? 127f : 255f;
                    quantized[index] = (byte)Math.Clamp(scaled + zeroPoints[group], 0f, limit);
                }
            }
        }

        return new Result(quantized, scales, zeroPoints);
    }
}
