using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SemanticSearch.ModelTools;

/// <summary>What <see cref="OnnxDynamicQuantizer"/> did to a model.</summary>
/// <param name="QuantizedNodes">The nodes now computed from int8 weights (MatMul, Attention, embedding Gather).</param>
/// <param name="SkippedNodes">Candidate nodes left in float, each with the reason.</param>
/// <param name="InputBytes">Size of the float model file (0 when quantizing a model in memory).</param>
/// <param name="OutputBytes">Size of the written int8 model file (0 when quantizing a model in memory).</param>
public sealed record QuantizationReport(
    IReadOnlyList<string> QuantizedNodes,
    IReadOnlyList<string> SkippedNodes,
    long InputBytes,
    long OutputBytes);

/// <summary>
/// Dynamic int8 quantization of an ONNX model's constant weights, the transformation of onnxruntime's Python
/// <c>quantize_dynamic(per_channel=True)</c>, done in .NET so a build can derive the int8 model from the float one.
/// </summary>
/// <remarks>
/// <para>
/// Every <c>MatMul(A, W)</c> whose <c>W</c> is a constant 2-D float initializer <c>[K, N]</c> becomes standard ONNX
/// (opset 11+) operators:
/// <code>
///   DynamicQuantizeLinear(A)                 -> A_q (uint8), A_scale, A_zero
///   MatMulInteger(A_q, W_q, A_zero[, W_zero]) -> Y_int32
///   Cast(Y_int32, to = float)                -> Y_float
///   Mul(A_scale, W_scale)                     -> S          (W_scale is [N] per channel, or a scalar)
///   Mul(Y_float, S)                           -> Y
/// </code>
/// where <c>W_q</c> holds the weights in 8 bits with one scale per output column (per channel) or per matrix.
/// ONNX Runtime's CPU provider fuses this pattern, and a following bias <c>Add</c>, into <c>MatMulIntegerToFloat</c>
/// and <c>DynamicQuantizeMatMul</c> (GraphOptimizationLevel.ORT_ENABLE_EXTENDED or higher); to let the bias fuse,
/// an <c>Add(bias, Y)</c> is rewritten as the equivalent <c>Add(Y, bias)</c>.
/// </para>
/// <para>
/// With <see cref="DynamicQuantizationOptions.FuseAttention"/>, BERT self-attention blocks are first fused into
/// <c>com.microsoft.Attention</c> and then become <c>com.microsoft.QAttention</c> (int8 Q/K/V projection with per-column
/// scales, ONNX Runtime's fused attention kernel). With <see cref="DynamicQuantizationOptions.QuantizeEmbeddings"/>, the
/// vocabulary embedding table is stored in int8 with one scale per row. Everything else (layer norms, softmax, the
/// attention score products between two activations) stays float. Rounding is half-to-even. Models with external data
/// files are not supported. The output runs on ONNX Runtime; the contrib operators (QAttention) are ONNX Runtime's own.
/// </para>
/// </remarks>
public static class OnnxDynamicQuantizer
{
    private const string MetadataKey = "quantization";
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>Reads the float model at <paramref name="inputPath"/>, quantizes it and writes it to <paramref name="outputPath"/>.</summary>
    /// <remarks>The output is written to a temporary file next to it first, so an interrupted build never leaves a torn model.</remarks>
    public static QuantizationReport Quantize(string inputPath, string outputPath, DynamicQuantizationOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);

        ModelProto model;
        using (var input = File.OpenRead(inputPath))
        {
            model = ModelProto.Parser.ParseFrom(input);
        }

        var report = Quantize(model, options);

        string fullOutput = Path.GetFullPath(outputPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullOutput)!);
        string temporary = fullOutput + ".tmp";
        using (var output = File.Create(temporary))
        {
            model.WriteTo(output);
        }

        File.Move(temporary, fullOutput, overwrite: true);
        return report with { InputBytes = new FileInfo(inputPath).Length, OutputBytes = new FileInfo(fullOutput).Length };
    }

    /// <summary>Quantizes <paramref name="model"/> in place.</summary>
    public static QuantizationReport Quantize(ModelProto model, DynamicQuantizationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new DynamicQuantizationOptions();
        var graph = model.Graph ?? throw new InvalidDataException("The model has no graph.");

        long opset = model.OpsetImport.Where(o => o.Domain.Length == 0 || o.Domain == "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
        // DynamicQuantizeLinear needs opset 11; Unsqueeze with its axes as an input (embedding dequantization) needs 13.
        long required = options.QuantizeEmbeddings ? 13 : 11;
        if (opset < required)
        {
            throw new NotSupportedException($"These options write opset {required} operators; the model imports opset {opset}.");
        }

        int fusedAttention = 0;
        if (options.FuseAttention)
        {
            OnnxShapeSimplifier.FoldReshapeShapes(model);
            fusedAttention = OnnxAttentionFusion.FuseBertSelfAttention(model);
        }

        var rewriter = new GraphRewriter(graph, options);
        rewriter.Run();

        model.MetadataProps.Add(new StringStringEntryProto
        {
            Key = MetadataKey,
            Value = $"dynamic int8 MatMul weights: {(options.PerChannel ? "per channel" : "per tensor")}, " +
                    $"{options.WeightType}{(options.ReduceRange ? " reduced range" : "")}; {rewriter.Quantized.Count} nodes quantized, {fusedAttention} attention blocks fused",
        });

        return new QuantizationReport(rewriter.Quantized, rewriter.Skipped, 0, 0);
    }

    /// <summary>The rewrite of one graph. Not reusable: one instance per call.</summary>
    private sealed class GraphRewriter(GraphProto graph, DynamicQuantizationOptions options)
    {
        private readonly Dictionary<string, TensorProto> _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        private readonly HashSet<string> _graphInputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        private readonly HashSet<string> _usedNames = CollectNames(graph);

        /// <summary>Quantized weight of each float initializer already converted: W_q, W_scale, W_zero (or null).</summary>
        private readonly Dictionary<string, (string Weight, string Scale, string? ZeroPoint)> _quantizedWeights = new(StringComparer.Ordinal);

        /// <summary>With shared input quantization: the DynamicQuantizeLinear outputs of each activation already quantized.</summary>
        private readonly Dictionary<string, (string Value, string Scale, string ZeroPoint)> _quantizedActivations = new(StringComparer.Ordinal);

        /// <summary>Outputs of the rewritten MatMuls, whose bias Add may need its operands swapped.</summary>
        private readonly HashSet<string> _rescaledOutputs = new(StringComparer.Ordinal);

        public List<string> Quantized { get; } = [];

        public List<string> Skipped { get; } = [];

        public void Run()
        {
            var rewritten = new List<NodeProto>(graph.Node.Count * 2);
            foreach (var node in graph.Node)
            {
                if (options.QuantizeEmbeddings && IsEmbeddingLookup(node, out var table))
                {
                    rewritten.AddRange(RewriteEmbedding(node, table));
                    Quantized.Add(DisplayName(node));
                    continue;
                }

                if (!IsCandidate(node, out var weight))
                {
                    rewritten.Add(node);
                    continue;
                }

                string? reason = WhyNotQuantized(node, weight);
                if (reason is not null)
                {
                    Skipped.Add($"{DisplayName(node)}: {reason}");
                    rewritten.Add(node);
                    continue;
                }

                rewritten.AddRange(Rewrite(node, weight));
                Quantized.Add(DisplayName(node));
            }

            graph.Node.Clear();
            graph.Node.AddRange(rewritten);
            MoveBiasSecond();
            RemoveUnusedInitializers();
        }

        private bool IsCandidate(NodeProto node, out TensorProto weight)
        {
            weight = null!;
            bool matMul = node.OpType == "MatMul" && (node.Domain.Length == 0 || node.Domain == "ai.onnx") && node.Input.Count == 2;
            return (matMul || IsAttention(node)) && _initializers.TryGetValue(node.Input[1], out weight!);
        }

        private bool IsEmbeddingLookup(NodeProto node, out TensorProto table)
        {
            table = null!;
            return node.OpType == "Gather" && node.Domain.Length == 0
                && (node.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0) == 0
                && _initializers.TryGetValue(node.Input[0], out table!)
                && !_graphInputs.Contains(table.Name)
                && table.DataType == (int)TensorProto.Types.DataType.Float
                && table.DataLocation != TensorProto.Types.DataLocation.External
                && table.Dims.Count == 2
                && table.Dims[0] * table.Dims[1] >= options.MinimumEmbeddingElements;
        }

        /// <summary>
        /// <c>Gather(T, ids)</c> becomes <c>Cast(Gather(T_q, ids)) * Unsqueeze(Gather(T_scale, ids), -1)</c>: int8 rows, symmetric,
        /// one scale per row, so only the looked-up rows are dequantized.
        /// </summary>
        private IEnumerable<NodeProto> RewriteEmbedding(NodeProto gather, TensorProto table)
        {
            string prefix = string.IsNullOrEmpty(gather.Name) ? gather.Output[0] : gather.Name;
            int rows = checked((int)table.Dims[0]);
            int columns = checked((int)table.Dims[1]);
            var values = WeightQuantization.ReadFloats(table, checked(rows * columns));

            // Rows are the channels here: quantize the transposed view by quantizing each row as one group.
            var quantized = new byte[values.Length];
            var scales = new float[rows];
            for (int row = 0; row < rows; row++)
            {
                var slice = values.AsSpan(row * columns, columns);
                float absoluteMax = 0;
                foreach (float v in slice)
                {
                    absoluteMax = MathF.Max(absoluteMax, MathF.Abs(v));
                }

                float scale = absoluteMax > 0 ? absoluteMax / 127f : 1f;
                scales[row] = scale;
                for (int column = 0; column < columns; column++)
                {
                    quantized[(row * columns) + column] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(slice[column] / scale, MidpointRounding.ToEven), -127f, 127f));
                }
            }

            string tableQ = NewName(table.Name + "_quantized");
            string tableScale = NewName(table.Name + "_row_scale");
            AddInitializer(tableQ, TensorProto.Types.DataType.Int8, [rows, columns], ByteString.CopyFrom(quantized));
            AddInitializer(tableScale, TensorProto.Types.DataType.Float, [rows], ByteString.CopyFrom(MemoryMarshal.AsBytes(scales.AsSpan())));
            string axes = NewName(prefix + "_last_axis");
            AddInitializer(axes, TensorProto.Types.DataType.Int64, [1], ByteString.CopyFrom(MemoryMarshal.AsBytes(new long[] { -1 }.AsSpan())));

            string rowsQ = NewName(prefix + "_rows_quantized");
            string rowsFloat = NewName(prefix + "_rows_unscaled");
            string rowScales = NewName(prefix + "_rows_scale");
            string rowScales1 = NewName(prefix + "_rows_scale_column");
            yield return Node("Gather", prefix + "_GatherQuantized", [tableQ, gather.Input[1]], [rowsQ]);
            var cast = Node("Cast", prefix + "_Cast", [rowsQ], [rowsFloat]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
            yield return cast;
            yield return Node("Gather", prefix + "_GatherScale", [tableScale, gather.Input[1]], [rowScales]);
            yield return Node("Unsqueeze", prefix + "_Unsqueeze", [rowScales, axes], [rowScales1]);
            yield return Node("Mul", prefix + "_Dequantize", [rowsFloat, rowScales1], [gather.Output[0]]);
        }

        private static bool IsAttention(NodeProto node) =>
            node.OpType == "Attention" && node.Domain == MicrosoftDomain && node.Input.Count >= 3;

        private string? WhyNotQuantized(NodeProto node, TensorProto weight)
        {
            if (options.ExcludedNodes.Contains(node.Name) || options.ExcludedNodes.Contains(weight.Name))
            {
                return "excluded";
            }

            if (_graphInputs.Contains(weight.Name))
            {
                return "the weight is also a graph input, so it can be overridden at run time";
            }

            if (weight.DataType != (int)TensorProto.Types.DataType.Float)
            {
                return $"the weight is {(TensorProto.Types.DataType)weight.DataType}, not float";
            }

            if (weight.DataLocation == TensorProto.Types.DataLocation.External)
            {
                return "the weight is stored in external data";
            }

            if (weight.Dims.Count != 2)
            {
                return $"the weight has {weight.Dims.Count} dimensions, not 2";
            }

            if (IsAttention(node))
            {
                // QAttention takes num_heads and unidirectional only: other settings (scale, mask_filter_value, past, ...) stay float.
                if (node.Attribute.Any(a => a.Name is not ("num_heads" or "unidirectional")) || node.Input.Count > 4 || node.Output.Count != 1)
                {
                    return "an Attention with settings QAttention does not take";
                }

                if (!_initializers.ContainsKey(node.Input[2]))
                {
                    return "the Attention bias is not constant";
                }
            }

            if (weight.Dims[0] * weight.Dims[1] < options.MinimumWeightElements)
            {
                return $"the weight has fewer than {options.MinimumWeightElements} elements";
            }

            return null;
        }

        private IEnumerable<NodeProto> Rewrite(NodeProto matMul, TensorProto weight)
        {
            string prefix = string.IsNullOrEmpty(matMul.Name) ? matMul.Output[0] : matMul.Name;
            string activation = matMul.Input[0];
            var (weightQ, weightScale, weightZero) = QuantizeWeight(weight);

            (string Value, string Scale, string ZeroPoint) activationQ;
            if (options.ShareInputQuantization && _quantizedActivations.TryGetValue(activation, out var shared))
            {
                activationQ = shared;
            }
            else
            {
                string owner = options.ShareInputQuantization ? activation : prefix;
                activationQ = (NewName(owner + "_quantized"), NewName(owner + "_scale"), NewName(owner + "_zero_point"));
                if (options.ShareInputQuantization)
                {
                    _quantizedActivations[activation] = activationQ;
                }

                yield return Node("DynamicQuantizeLinear", prefix + "_QuantizeInput", [activation], [activationQ.Value, activationQ.Scale, activationQ.ZeroPoint]);
            }

            if (IsAttention(matMul))
            {
                // QAttention(input, weight, bias, input_scale, weight_scale, mask_index, input_zero_point, weight_zero_point)
                var attention = Node("QAttention", prefix + "_Quantized", [
                    activationQ.Value, weightQ, matMul.Input[2], activationQ.Scale, weightScale,
                    matMul.Input.Count > 3 ? matMul.Input[3] : "", activationQ.ZeroPoint, weightZero ?? ""], [matMul.Output[0]]);
                attention.Domain = MicrosoftDomain;
                attention.Attribute.AddRange(matMul.Attribute.Select(a => a.Clone()));
                while (attention.Input[^1].Length == 0)
                {
                    attention.Input.RemoveAt(attention.Input.Count - 1);
                }

                yield return attention;
                yield break;
            }

            string integerProduct = NewName(prefix + "_int32");
            string floatProduct = NewName(prefix + "_unscaled");
            string scale = NewName(prefix + "_output_scale");
            string[] integerInputs = weightZero is null
                ? [activationQ.Value, weightQ, activationQ.ZeroPoint]
                : [activationQ.Value, weightQ, activationQ.ZeroPoint, weightZero];

            yield return Node("MatMulInteger", prefix + "_MatMulInteger", integerInputs, [integerProduct]);
            var cast = Node("Cast", prefix + "_Cast", [integerProduct], [floatProduct]);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Float });
            yield return cast;

            // The activation scale first: ONNX Runtime's MatMulIntegerToFloat fusion reads it as the A scale.
            yield return Node("Mul", prefix + "_Scale", [activationQ.Scale, weightScale], [scale]);
            _rescaledOutputs.Add(matMul.Output[0]);
            yield return Node("Mul", prefix + "_Rescale", [floatProduct, scale], [matMul.Output[0]]);
        }

        private (string Weight, string Scale, string? ZeroPoint) QuantizeWeight(TensorProto weight)
        {
            if (_quantizedWeights.TryGetValue(weight.Name, out var existing))
            {
                return existing;
            }

            int rows = checked((int)weight.Dims[0]);
            int columns = checked((int)weight.Dims[1]);
            var values = WeightQuantization.ReadFloats(weight, checked(rows * columns));
            var result = WeightQuantization.Quantize(values, rows, columns, options);

            var elementType = options.WeightType == QuantizedWeightType.SignedSymmetric ? TensorProto.Types.DataType.Int8 : TensorProto.Types.DataType.Uint8;
            long[] parameterShape = options.PerChannel ? [columns] : [];

            string weightName = NewName(weight.Name + "_quantized");
            AddInitializer(weightName, elementType, [rows, columns], ByteString.CopyFrom(result.Values));

            string scaleName = NewName(weight.Name + "_scale");
            AddInitializer(scaleName, TensorProto.Types.DataType.Float, parameterShape, ByteString.CopyFrom(MemoryMarshal.AsBytes(result.Scales.AsSpan())));

            string? zeroName = null;
            if (options.WeightType == QuantizedWeightType.UnsignedAsymmetric)
            {
                // Signed symmetric weights have zero points of 0, MatMulInteger's default: that input is left out.
                zeroName = NewName(weight.Name + "_zero_point");
                AddInitializer(zeroName, elementType, parameterShape, ByteString.CopyFrom(result.ZeroPoints));
            }

            var names = (weightName, scaleName, zeroName);
            _quantizedWeights[weight.Name] = names;
            return names;
        }

        /// <summary>
        /// <c>Add(bias, MatMul output)</c> becomes <c>Add(MatMul output, bias)</c> where the MatMul was quantized, the order in
        /// which ONNX Runtime folds the bias into MatMulIntegerToFloat. Add is commutative and the bias has the output's last
        /// dimension, so the result is unchanged.
        /// </summary>
        private void MoveBiasSecond()
        {
            foreach (var add in graph.Node)
            {
                if (add.OpType == "Add" && add.Domain.Length == 0 && add.Input.Count == 2
                    && _initializers.TryGetValue(add.Input[0], out var bias) && bias.Dims.Count == 1
                    && _rescaledOutputs.Contains(add.Input[1]))
                {
                    (add.Input[0], add.Input[1]) = (add.Input[1], add.Input[0]);
                }
            }
        }

        private void RemoveUnusedInitializers()
        {
            var used = graph.Node.SelectMany(n => n.Input).Concat(graph.Output.Select(o => o.Name)).ToHashSet(StringComparer.Ordinal);
            var unused = graph.Initializer.Where(i => !used.Contains(i.Name) && !_graphInputs.Contains(i.Name)).ToList();
            foreach (var initializer in unused)
            {
                graph.Initializer.Remove(initializer);
                _initializers.Remove(initializer.Name);
            }
        }

        private void AddInitializer(string name, TensorProto.Types.DataType type, long[] dims, ByteString raw)
        {
            var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = raw };
            tensor.Dims.AddRange(dims);
            graph.Initializer.Add(tensor);
            _initializers[name] = tensor;
        }

        private NodeProto Node(string opType, string name, string[] inputs, string[] outputs)
        {
            var node = new NodeProto { OpType = opType, Name = NewName(name) };
            node.Input.AddRange(inputs);
            node.Output.AddRange(outputs);
            return node;
        }

        private string NewName(string wanted)
        {
            string name = wanted;
            for (int i = 1; !_usedNames.Add(name); i++)
            {
                name = $"{wanted}_{i}";
            }

            return name;
        }

        private static string DisplayName(NodeProto node) => string.IsNullOrEmpty(node.Name) ? node.Output[0] : node.Name;

        private static HashSet<string> CollectNames(GraphProto graph)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                names.Add(node.Name);
                names.UnionWith(node.Input);
                names.UnionWith(node.Output);
            }

            names.UnionWith(graph.Initializer.Select(i => i.Name));
            names.UnionWith(graph.Input.Select(i => i.Name));
            names.UnionWith(graph.Output.Select(o => o.Name));
            names.UnionWith(graph.ValueInfo.Select(v => v.Name));
            return names;
        }
    }
}
