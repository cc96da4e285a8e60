using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.Tests.Embeddings;

public class OnnxBatchingTests
{
    [Fact]
    public void ABatchHoldsOnlyTextsOfSimilarLength()
    {
        int[] sorted = [10, 12, 18, 19, 40, 48, 49, 200, 240, 250];

        Assert.Equal(3, OnnxEmbeddingGenerator.BatchEnd(sorted, 0, 32));   // 10..18: within 10 + 8
        Assert.Equal(4, OnnxEmbeddingGenerator.BatchEnd(sorted, 3, 32));   // 19 alone: 40 > 19 + 8
        Assert.Equal(7, OnnxEmbeddingGenerator.BatchEnd(sorted, 4, 32));   // 40..49: within 40 + 10
        Assert.Equal(10, OnnxEmbeddingGenerator.BatchEnd(sorted, 7, 32));  // 200..250: within 200 + 50
    }

    [Fact]
    public void ABatchNeverExceedsTheConfiguredRows()
    {
        int[] sorted = [.. Enumerable.Repeat(64, 100)];

        Assert.Equal(32, OnnxEmbeddingGenerator.BatchEnd(sorted, 0, 32));
        Assert.Equal(100, OnnxEmbeddingGenerator.BatchEnd(sorted, 96, 32));
        Assert.Equal(1, OnnxEmbeddingGenerator.BatchEnd(sorted, 0, 1));
    }
}
