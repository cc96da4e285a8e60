using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace SemanticSearch.ModelTools.Tests;

/// <summary>The graph rewrite on a one-layer model, <c>Y = X·W + b</c>, checked node by node and run in ONNX Runtime.</summary>
public sealed class OnnxDynamicQuantizerTests
{
    private const int Inputs = 32;
    private const int Outputs = 16;

    [Fact]
    public void AMatMulBecomesIntegerOperatorsWithPerChannelScales()
    {
        var model = LinearModel(out _, out _);

        var report = OnnxDynamicQuantizer.Quantize(model);

        Assert.Equal(["MatMul_0"], report.QuantizedNodes);
        Assert.Empty(report.SkippedNodes);
        Assert.Equal(["DynamicQuantizeLinear", "MatMulInteger", "Cast", "Mul", "Mul", "Add"], model.Graph.Node.Select(n => n.OpType));

        var initializers = model.Graph.Initializer.ToDictionary(i => i.Name);
        Assert.DoesNotContain("W", initializers.Keys);
        var weight = initializers["W_quantized"];
        Assert.Equal((int)TensorProto.Types.DataType.Int8, weight.DataType);
        Assert.Equal([Inputs, Outputs], weight.Dims);
        var scale = initializers["W_scale"];
        Assert.Equal((int)TensorProto.Types.DataType.Float, scale.DataType);
        Assert.Equal([Outputs], scale.Dims);

        // Signed symmetric weights need no zero point: MatMulInteger reads 3 inputs.
        Assert.Equal(3, model.Graph.Node.Single(n => n.OpType == "MatMulInteger").Input.Count);

        // The bias Add reads the rescaled product first, the order ONNX Runtime folds into MatMulIntegerToFloat.
        var add = model.Graph.Node.Single(n => n.OpType == "Add");
        Assert.Equal("b", add.Input[1]);
        Assert.Contains(model.MetadataProps, p => p.Key == "quantization" && p.Value.Contains("per channel", StringComparison.Ordinal));
    }

    [Fact]
    public void PerTensorWritesOneScalarScale()
    {
        var model = LinearModel(out _, out _);

        OnnxDynamicQuantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = false });

        Assert.Empty(model.Graph.Initializer.Single(i => i.Name == "W_scale").Dims);
    }

    [Fact]
    public void UnsignedWeightsCarryAZeroPointPerColumn()
    {
        var model = LinearModel(out _, out _);

        OnnxDynamicQuantizer.Quantize(model, new DynamicQuantizationOptions { WeightType = QuantizedWeightType.UnsignedAsymmetric });

        var zeroPoint = model.Graph.Initializer.Single(i => i.Name == "W_zero_point");
        Assert.Equal((int)TensorProto.Types.DataType.Uint8, zeroPoint.DataType);
        Assert.Equal([Outputs], zeroPoint.Dims);
        Assert.Equal(4, model.Graph.Node.Single(n => n.OpType == "MatMulInteger").Input.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TheQuantizedModelRunsInOnnxRuntimeCloseToTheFloatOne(bool perChannel)
    {
        var model = LinearModel(out float[] weights, out float[] bias);
        OnnxDynamicQuantizer.Quantize(model, new DynamicQuantizationOptions { PerChannel = perChannel });

        var random = new Random(7);
        const int rows = 4;
        float[] x = [.. Enumerable.Range(0, rows * Inputs).Select(_ => (float)(random.NextDouble() * 2 - 1))];
        float[] expected = new float[rows * Outputs];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < Outputs; c++)
            {
                float sum = bias[c];
                for (int k = 0; k < Inputs; k++)
                {
                    sum += x[(r * Inputs) + k] * weights[(k * Outputs) + c];
                }

                expected[(r * Outputs) + c] = sum;
            }
        }

        using var session = new InferenceSession(model.ToByteArray());
        using var input = OrtValue.CreateTensorValueFromMemory(x, [rows, Inputs]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["X"], [input], ["Y"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        // Activations in uint8 and weights in int8 (one 127th of each column's range): a few percent of the output's scale.
        float tolerance = 0.03f * expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.InRange(actual[i], expected[i] - tolerance, expected[i] + tolerance);
        }
    }

    [Fact]
    public void SmallExcludedOrNonConstantWeightsStayFloat()
    {
        var small = LinearModel(out _, out _);
        var report = OnnxDynamicQuantizer.Quantize(small, new DynamicQuantizationOptions { MinimumWeightElements = (Inputs * Outputs) + 1 });
        Assert.Empty(report.QuantizedNodes);
        Assert.Contains("fewer than", Assert.Single(report.SkippedNodes), StringComparison.Ordinal);
        Assert.Contains(small.Graph.Node, n => n.OpType == "MatMul");

        var excluded = LinearModel(out _, out _);
        report = OnnxDynamicQuantizer.Quantize(excluded, new DynamicQuantizationOptions { ExcludedNodes = new HashSet<string> { "MatMul_0" } });
        Assert.Contains("excluded", Assert.Single(report.SkippedNodes), StringComparison.Ordinal);
    }

    [Fact]
    public void AModelBelowOpset11IsRefused()
    {
        var model = LinearModel(out _, out _);
        model.OpsetImport[0].Version = 10;

        Assert.Throws<NotSupportedException>(() => OnnxDynamicQuantizer.Quantize(model));
    }

    [Fact]
    public void TheFileOverloadWritesTheModelAndReportsSizes()
    {
        string folder = Path.Combine(Path.GetTempPath(), "model-tools-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            string input = Path.Combine(folder, "float.onnx");
            File.WriteAllBytes(input, LinearModel(out _, out _).ToByteArray());

            var report = OnnxDynamicQuantizer.Quantize(input, Path.Combine(folder, "int8", "model.onnx"));

            Assert.Equal(new FileInfo(input).Length, report.InputBytes);
            Assert.Equal(new FileInfo(Path.Combine(folder, "int8", "model.onnx")).Length, report.OutputBytes);
            Assert.False(File.Exists(Path.Combine(folder, "int8", "model.onnx.tmp")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary><c>Y = Add(b, MatMul(X, W))</c>, bias first as PyTorch exports it; opset 13.</summary>
    private static ModelProto LinearModel(out float[] weights, out float[] bias)
    {
        var random = new Random(3);
        weights = [.. Enumerable.Range(0, Inputs * Outputs).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.3f)];
        bias = [.. Enumerable.Range(0, Outputs).Select(_ => (float)(random.NextDouble() * 2 - 1) * 0.1f)];

        var graph = new GraphProto { Name = "linear" };
        graph.Input.Add(FloatInput("X", -1, Inputs));
        graph.Output.Add(FloatInput("Y", -1, Outputs));
        graph.Initializer.Add(FloatTensor("W", weights, Inputs, Outputs));
        graph.Initializer.Add(FloatTensor("b", bias, Outputs));
        graph.Node.Add(Node("MatMul", "MatMul_0", ["X", "W"], ["XW"]));
        graph.Node.Add(Node("Add", "Add_0", ["b", "XW"], ["Y"]));

        var model = new ModelProto { IrVersion = 7, Graph = graph, ProducerName = "tests" };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string[] outputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    private static TensorProto FloatTensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan())) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static ValueInfoProto FloatInput(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long dim in dims)
        {
            shape.Dim.Add(dim < 0 ? new TensorShapeProto.Types.Dimension { DimParam = "batch" } : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
