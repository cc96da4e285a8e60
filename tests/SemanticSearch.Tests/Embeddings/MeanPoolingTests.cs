using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

public sealed class MeanPoolingTests
{
    [Fact]
    public void PoolsOnlyTheRealTokensAndNormalises()
    {
        // Two real tokens of 2 dimensions, then a padding row whose states must be ignored.
        float[] states = [1, 2, 3, 6, 100, -100];
        var vector = new float[2];

        MeanPooling.PoolAndNormalize(states, tokenCount: 2, vector);

        // Mean (2, 4) normalised: (1, 2) / sqrt(5).
        VectorAssert.Equal([1 / MathF.Sqrt(5), 2 / MathF.Sqrt(5)], vector, 1e-6f);
    }

    [Fact]
    public void ZeroStatesGiveZeroVectorNotNaN()
    {
        var vector = new float[3];

        MeanPooling.PoolAndNormalize(new float[6], tokenCount: 2, vector);

        Assert.All(vector, component => Assert.Equal(0f, component));
    }
}
