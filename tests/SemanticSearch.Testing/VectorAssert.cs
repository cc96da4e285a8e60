using System.Numerics.Tensors;

namespace SemanticSearch.Testing;

public static class VectorAssert
{
    public static void Equal(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(
                MathF.Abs(expected[i] - actual[i]) <= tolerance,
                $"Component {i}: expected {expected[i]}, got {actual[i]} (tolerance {tolerance}).");
        }
    }

    public static void UnitLength(ReadOnlySpan<float> vector) =>
        Assert.Equal(1.0, TensorPrimitives.Norm(vector), 5);
}
