namespace SemanticSearch.ModelTools.Tests;

public sealed class WeightQuantizationTests
{
    /// <summary>
    /// 3 rows × 3 columns, row-major. The columns' largest magnitudes are 127, 254 and 63.5, so their
    /// per-channel scales (max / 127) are exactly 1, 2 and 0.5 and every quotient below is exact, ties included.
    /// </summary>
    private static readonly float[] Weights =
    [
        127f, -5f, 0.25f,
        -0.5f, 254f, 63.5f,
        1.5f, 3f, 0.75f,
    ];

    [Fact]
    public void PerChannelGivesEachOutputColumnItsOwnScale()
    {
        var result = WeightQuantization.Quantize(Weights, rows: 3, columns: 3, new DynamicQuantizationOptions());

        Assert.Equal([1f, 2f, 0.5f], result.Scales);
        Assert.Equal([0, 0, 0], result.ZeroPoints);
        // Symmetric int8, ties to even: -0.5 → -0, -2.5 → -2, 0.5 → 0, and 1.5 → 2 in each column.
        Assert.Equal([127, -2, 0, 0, 127, 127, 2, 2, 2], result.Values.Select(b => (int)(sbyte)b));
    }

    [Fact]
    public void PerTensorSharesOneScale()
    {
        var result = WeightQuantization.Quantize(Weights, rows: 3, columns: 3, new DynamicQuantizationOptions { PerChannel = false });

        Assert.Equal([2f], result.Scales);
        Assert.Equal([64, -2, 0, 0, 127, 32, 1, 2, 0], result.Values.Select(b => (int)(sbyte)b));
    }

    [Fact]
    public void ReducedRangeKeepsSevenBits()
    {
        var result = WeightQuantization.Quantize(Weights, rows: 3, columns: 3, new DynamicQuantizationOptions { ReduceRange = true });

        Assert.Equal([127f / 63, 254f / 63, 63.5f / 63], result.Scales);
        Assert.All(result.Values, b => Assert.InRange((sbyte)b, -63, 63));
    }

    [Fact]
    public void UnsignedAsymmetricPlacesTheZeroPointPerColumn()
    {
        // One column from -1 to 3: scale 4/255, zero point round(63.75) = 64.
        var result = WeightQuantization.Quantize([-1f, 3f], rows: 2, columns: 1, new DynamicQuantizationOptions { WeightType = QuantizedWeightType.UnsignedAsymmetric });

        Assert.Equal([4f / 255], result.Scales);
        Assert.Equal([64], result.ZeroPoints);
        Assert.Equal([0, 255], result.Values);
    }

    [Fact]
    public void AnAllZeroColumnGetsScaleOneAndStaysZero()
    {
        var result = WeightQuantization.Quantize([0f, 2f, 0f, -2f], rows: 2, columns: 2, new DynamicQuantizationOptions());

        Assert.Equal([1f, 2f / 127], result.Scales);
        Assert.Equal([0, 127, 0, -127], result.Values.Select(b => (int)(sbyte)b));
    }

    [Fact]
    public void ReconstructionErrorIsAtMostHalfAStep()
    {
        var random = new Random(12);
        float[] weights = [.. Enumerable.Range(0, 64 * 16).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.2f)];

        var result = WeightQuantization.Quantize(weights, rows: 64, columns: 16, new DynamicQuantizationOptions());

        for (int i = 0; i < weights.Length; i++)
        {
            float scale = result.Scales[i % 16];
            float restored = (sbyte)result.Values[i] * scale;
            Assert.InRange(MathF.Abs(restored - weights[i]), 0f, (scale / 2) + 1e-7f);
        }
    }
}
