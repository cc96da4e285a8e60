using Google.Protobuf;
using Onnx;
using SemanticSearch.Embedded.Onnx;

namespace SemanticSearch.ModelTools.Tests;

/// <summary>all-MiniLM-L6-v2 quantized once, in memory, with the settings the build uses; shared by the tests below.</summary>
public sealed class QuantizedMiniLm
{
    public QuantizedMiniLm()
    {
        using (var stream = File.OpenRead(OnnxModelFolder.Bundled.ModelPath))
        {
            Model = ModelProto.Parser.ParseFrom(stream);
        }

        Report = OnnxDynamicQuantizer.Quantize(Model, DynamicQuantizationOptions.BundledInt8);
    }

    public ModelProto Model { get; }

    public QuantizationReport Report { get; }

    public TensorProto Initializer(string name) => Model.Graph.Initializer.Single(i => i.Name == name);
}

public sealed class BundledModelTests(QuantizedMiniLm quantized) : IClassFixture<QuantizedMiniLm>
{
    private const int Hidden = 384;
    private const int Intermediate = 1536;

    [Fact]
    public void EveryProjectionIsQuantizedAndNothingIsLeftBehind()
    {
        // 6 layers: one fused attention (Q, K, V) + the attention output + two feed-forward MatMuls each.
        Assert.Equal(24, quantized.Report.QuantizedNodes.Count);
        Assert.Empty(quantized.Report.SkippedNodes);

        var nodes = quantized.Model.Graph.Node;
        Assert.Equal(6, nodes.Count(n => n.OpType == "QAttention" && n.Domain == "com.microsoft"));
        Assert.Equal(18, nodes.Count(n => n.OpType == "MatMulInteger"));
        Assert.Equal(24, nodes.Count(n => n.OpType == "DynamicQuantizeLinear"));
        Assert.DoesNotContain(nodes, n => n.OpType is "MatMul" or "Attention" or "Softmax");
        Assert.Contains(quantized.Model.OpsetImport, o => o.Domain == "com.microsoft");
    }

    [Fact]
    public void QAttentionWeightsAreInt8WithAScalePerColumn()
    {
        foreach (var attention in quantized.Model.Graph.Node.Where(n => n.OpType == "QAttention"))
        {
            // QAttention(input, weight, bias, input_scale, weight_scale, mask_index, input_zero_point)
            var weight = quantized.Initializer(attention.Input[1]);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
            Assert.Equal([Hidden, 3 * Hidden], weight.Dims);
            Assert.Equal(Hidden * 3 * Hidden, weight.RawData.Length);
            Assert.Equal([3 * Hidden], quantized.Initializer(attention.Input[2]).Dims);
            Assert.Equal([3 * Hidden], quantized.Initializer(attention.Input[4]).Dims);
            Assert.Equal(12, attention.Attribute.Single(a => a.Name == "num_heads").I);
        }
    }

    [Fact]
    public void FeedForwardAndOutputWeightsAreInt8WithAScalePerColumn()
    {
        var shapes = new List<(long Rows, long Columns)>();
        foreach (var matMul in quantized.Model.Graph.Node.Where(n => n.OpType == "MatMulInteger"))
        {
            var weight = quantized.Initializer(matMul.Input[1]);
            Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
            shapes.Add((weight.Dims[0], weight.Dims[1]));

            // Mul(activation scale, weight scale): one float scale per output column, all positive.
            var scaleNode = quantized.Model.Graph.Node.Single(n => n.OpType == "Mul" && n.Input.Count == 2 && n.Input[1] == weight.Name.Replace("_quantized", "_scale", StringComparison.Ordinal));
            var scale = quantized.Initializer(scaleNode.Input[1]);
            Assert.Equal([weight.Dims[1]], scale.Dims);
            var scales = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(scale.RawData.Span).ToArray();
            Assert.All(scales, s => Assert.True(s > 0 && float.IsFinite(s)));
        }

        Assert.Equal(6, shapes.Count(s => s == (Hidden, Hidden)));
        Assert.Equal(6, shapes.Count(s => s == (Hidden, Intermediate)));
        Assert.Equal(6, shapes.Count(s => s == (Intermediate, Hidden)));
    }

    [Fact]
    public void TheWordEmbeddingsStayFloat()
    {
        var gather = quantized.Model.Graph.Node.First(n => n.OpType == "Gather" && n.Input[1] == "input_ids");
        var table = quantized.Initializer(gather.Input[0]);

        Assert.Equal((int)TensorProto.Types.DataType.Float, table.DataType);
        Assert.Equal([30522, Hidden], table.Dims);
    }

    [Fact]
    public void TheBuildBundlesExactlyWhatTheQuantizerMakes()
    {
        // Model.targets ran the same quantizer on the same file: the int8 model next to the binaries is this one, byte for byte.
        byte[] expected = quantized.Model.ToByteArray();
        byte[] bundled = File.ReadAllBytes(OnnxModelFolder.BundledInt8.ModelPath);

        Assert.Equal(expected.Length, bundled.Length);
        Assert.True(expected.AsSpan().SequenceEqual(bundled), "The bundled int8 model differs from the quantizer's output.");
    }
}
