using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SemanticSearch.ModelTools;

/// <summary>
/// Fuses the self-attention blocks of a Hugging Face BERT export into ONNX Runtime's <c>com.microsoft.Attention</c>
/// operator, what onnxruntime's Python transformer optimizer does and its in-session optimizer does not do for inputs
/// of dynamic length (its fusions need constant sequence lengths).
/// </summary>
/// <remarks>
/// Matched, per layer, with <c>X</c> shared by the three projections and <c>h</c> heads of size <c>d</c>:
/// <code>
///   Q = Transpose[0,2,1,3](Reshape(MatMul(X, Wq) + bq, [0,0,h,d]))
///   K = Transpose[0,2,3,1](Reshape(MatMul(X, Wk) + bk, [0,0,h,d]))
///   V = Transpose[0,2,1,3](Reshape(MatMul(X, Wv) + bv, [0,0,h,d]))
///   P = Softmax(MatMul(Q, K) / c + M)          M = (1 - Cast(Unsqueeze(Unsqueeze(mask)))) * f
///   Y = Reshape(Transpose[0,2,1,3](MatMul(P, V)), [0,0,h*d])
/// </code>
/// becomes <c>Y = Attention(X, [Wq|Wk|Wv], [bq|bk|bv], Cast&lt;int32&gt;(mask))</c> with <c>num_heads = h</c>; the
/// scale <c>1/c</c> and the mask filter value <c>f</c> are set as attributes only when they differ from the operator's
/// defaults (1/√d and -10000). Reshape shapes must be constants: run <see cref="OnnxShapeSimplifier.FoldReshapeShapes"/>
/// first. A block that differs in any way is left as it is.
/// </remarks>
public static class OnnxAttentionFusion
{
    private const string MicrosoftDomain = "com.microsoft";

    /// <summary>Fuses in place; returns the number of Attention nodes created.</summary>
    public static int FuseBertSelfAttention(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph ?? throw new InvalidDataException("The model has no graph.");
        var matcher = new Matcher(graph);
        var fusions = graph.Node.Where(n => n.OpType == "Softmax" && n.Domain.Length == 0)
            .Select(matcher.Match)
            .OfType<Fusion>()
            .ToList();
        if (fusions.Count == 0)
        {
            return 0;
        }

        var names = graph.Node.SelectMany(n => n.Output).Concat(graph.Node.Select(n => n.Name))
            .Concat(graph.Initializer.Select(i => i.Name)).Concat(graph.Input.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        string NewName(string wanted)
        {
            string name = wanted;
            for (int i = 1; !names.Add(name); i++)
            {
                name = $"{wanted}_{i}";
            }

            return name;
        }

        // One int32 copy of each attention mask input, computed first.
        var maskCasts = new Dictionary<string, string>(StringComparer.Ordinal);
        var prologue = new List<NodeProto>();
        foreach (string mask in fusions.Select(f => f.Mask).Distinct())
        {
            string name = NewName(mask + "_int32");
            var cast = new NodeProto { OpType = "Cast", Name = NewName("Cast_" + name) };
            cast.Input.Add(mask);
            cast.Output.Add(name);
            cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = (long)TensorProto.Types.DataType.Int32 });
            prologue.Add(cast);
            maskCasts[mask] = name;
        }

        var replacements = new Dictionary<NodeProto, NodeProto>();
        foreach (var fusion in fusions)
        {
            string weights = NewName(fusion.OutputReshape.Output[0] + "_qkv_weight");
            string bias = NewName(fusion.OutputReshape.Output[0] + "_qkv_bias");
            graph.Initializer.Add(Concatenate(weights, fusion.Weights, columns: true));
            graph.Initializer.Add(Concatenate(bias, fusion.Biases, columns: false));

            var attention = new NodeProto { OpType = "Attention", Domain = MicrosoftDomain, Name = NewName("Attention_" + fusion.OutputReshape.Name) };
            attention.Input.AddRange([fusion.Input, weights, bias, maskCasts[fusion.Mask]]);
            attention.Output.Add(fusion.OutputReshape.Output[0]);
            attention.Attribute.Add(new AttributeProto { Name = "num_heads", Type = AttributeProto.Types.AttributeType.Int, I = fusion.Heads });
            if (MathF.Abs(fusion.Scale - (1f / MathF.Sqrt(fusion.HeadSize))) > 1e-6f * fusion.Scale)
            {
                attention.Attribute.Add(new AttributeProto { Name = "scale", Type = AttributeProto.Types.AttributeType.Float, F = fusion.Scale });
            }

            if (fusion.MaskFilterValue != -10000f)
            {
                attention.Attribute.Add(new AttributeProto { Name = "mask_filter_value", Type = AttributeProto.Types.AttributeType.Float, F = fusion.MaskFilterValue });
            }

            replacements[fusion.OutputReshape] = attention;
        }

        var rewritten = new List<NodeProto>(prologue);
        rewritten.AddRange(graph.Node.Select(n => replacements.TryGetValue(n, out var attention) ? attention : n));
        graph.Node.Clear();
        graph.Node.AddRange(rewritten);
        OnnxShapeSimplifier.RemoveDeadNodes(graph);

        if (!model.OpsetImport.Any(o => o.Domain == MicrosoftDomain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = MicrosoftDomain, Version = 1 });
        }

        return fusions.Count;
    }

    private static TensorProto Concatenate(string name, TensorProto[] parts, bool columns)
    {
        var values = parts.Select(p => WeightQuantization.ReadFloats(p, checked((int)p.Dims.Aggregate(1L, (a, b) => a * b)))).ToArray();
        float[] result;
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        if (columns)
        {
            int rows = (int)parts[0].Dims[0];
            int[] widths = parts.Select(p => (int)p.Dims[1]).ToArray();
            int total = widths.Sum();
            result = new float[rows * total];
            for (int row = 0; row < rows; row++)
            {
                for (int part = 0, offset = 0; part < parts.Length; offset += widths[part], part++)
                {
                    values[part].AsSpan(row * widths[part], widths[part]).CopyTo(result.AsSpan((row * total) + offset));
                }
            }

            tensor.Dims.AddRange([rows, total]);
        }
        else
        {
            result = [.. values.SelectMany(v => v)];
            tensor.Dims.Add(result.Length);
        }

        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(result.AsSpan()));
        return tensor;
    }

    private sealed record Fusion(
        string Input,
        TensorProto[] Weights,
        TensorProto[] Biases,
        string Mask,
        int Heads,
        int HeadSize,
        float Scale,
        float MaskFilterValue,
        NodeProto OutputReshape);

    private sealed class Matcher
    {
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> _consumers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, NodeProto> _firstReader = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> _initializers;
        private readonly HashSet<string> _graphInputs;
        private readonly HashSet<string> _graphOutputs;

        public Matcher(GraphProto graph)
        {
            foreach (var node in graph.Node)
            {
                foreach (string output in node.Output)
                {
                    _producers[output] = node;
                }

                foreach (string input in node.Input)
                {
                    _consumers[input] = _consumers.GetValueOrDefault(input) + 1;
                    _firstReader.TryAdd(input, node);
                }
            }

            _initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
            _graphInputs = graph.Input.Select(i => i.Name).Where(n => !_initializers.ContainsKey(n)).ToHashSet(StringComparer.Ordinal);
            _graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        }

        public Fusion? Match(NodeProto softmax)
        {
            if ((softmax.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? -1) is not (-1 or 3))
            {
                return null;
            }

            // Scores: (Q·K) / c + M, either operand order of the Add.
            if (Producer(softmax.Input[0], "Add") is not { } addMask)
            {
                return null;
            }

            NodeProto? scaleNode = null, scores = null;
            string maskTensor = "";
            float divisor = 0;
            foreach (int i in new[] { 0, 1 })
            {
                var candidate = Producer(addMask.Input[i], "Div") ?? Producer(addMask.Input[i], "Mul");
                if (candidate is not null && ScalarConstant(candidate.Input[1]) is { } constant && constant != 0
                    && Producer(candidate.Input[0], "MatMul") is { } product)
                {
                    (scaleNode, scores, maskTensor, divisor) = (candidate, product, addMask.Input[1 - i], constant);
                    break;
                }
            }

            if (scaleNode is null || scores is null)
            {
                return null;
            }

            float scale = scaleNode.OpType == "Div" ? 1f / divisor : divisor;
            if (MaskSource(maskTensor) is not var (mask, filterValue))
            {
                return null;
            }

            // Context: Reshape(Transpose(MatMul(P, V)), [0,0,h*d]) with P read only there.
            if (Single(softmax.Output[0]) is not { OpType: "MatMul" } context || context.Input[0] != softmax.Output[0]
                || Single(context.Output[0]) is not { OpType: "Transpose" } merge || !HasPerm(merge, 0, 2, 1, 3)
                || Single(merge.Output[0]) is not { OpType: "Reshape" } outputReshape
                || ConstantShape(outputReshape.Input[1]) is not [0, 0, var hidden])
            {
                return null;
            }

            if (Projection(scores.Input[0], [0, 2, 1, 3]) is not { } q
                || Projection(scores.Input[1], [0, 2, 3, 1]) is not { } k
                || Projection(context.Input[1], [0, 2, 1, 3]) is not { } v
                || q.Input != k.Input || q.Input != v.Input
                || q.Heads != k.Heads || q.Heads != v.Heads || q.HeadSize != k.HeadSize || q.HeadSize != v.HeadSize
                || q.Heads * q.HeadSize != hidden
                || q.Weight.Dims[1] != hidden || k.Weight.Dims[1] != hidden || v.Weight.Dims[1] != hidden)
            {
                return null;
            }

            // Every intermediate must be read only inside the block (and never be a graph output).
            string[] internals = [addMask.Output[0], scaleNode.Output[0], scores.Output[0], context.Output[0], merge.Output[0], .. q.Internals, .. k.Internals, .. v.Internals];
            if (internals.Any(n => _graphOutputs.Contains(n) || _consumers.GetValueOrDefault(n) != 1))
            {
                return null;
            }

            return new Fusion(q.Input, [q.Weight, k.Weight, v.Weight], [q.Bias, k.Bias, v.Bias], mask, q.Heads, q.HeadSize, scale, filterValue, outputReshape);
        }

        private sealed record ProjectionMatch(string Input, TensorProto Weight, TensorProto Bias, int Heads, int HeadSize, string[] Internals);

        /// <summary>Transpose[perm](Reshape(MatMul(X, W) + b, [0,0,h,d])).</summary>
        private ProjectionMatch? Projection(string tensor, int[] perm)
        {
            if (Producer(tensor, "Transpose") is not { } transpose || !HasPerm(transpose, perm)
                || Producer(transpose.Input[0], "Reshape") is not { } reshape
                || ConstantShape(reshape.Input[1]) is not [0, 0, var heads, var headSize]
                || Producer(reshape.Input[0], "Add") is not { } add)
            {
                return null;
            }

            foreach (int i in new[] { 0, 1 })
            {
                if (_initializers.TryGetValue(add.Input[i], out var bias) && bias.Dims.Count == 1
                    && Producer(add.Input[1 - i], "MatMul") is { } matMul
                    && _initializers.TryGetValue(matMul.Input[1], out var weight) && weight.Dims.Count == 2
                    && weight.DataType == (int)TensorProto.Types.DataType.Float && bias.DataType == (int)TensorProto.Types.DataType.Float
                    && bias.Dims[0] == weight.Dims[1] && !_graphInputs.Contains(weight.Name))
                {
                    return new ProjectionMatch(matMul.Input[0], weight, bias, (int)heads, (int)headSize,
                        [matMul.Output[0], add.Output[0], reshape.Output[0], transpose.Output[0]]);
                }
            }

            return null;
        }

        /// <summary>(1 - Cast(Unsqueeze(Unsqueeze(mask)))) * f for a graph input mask: returns the mask and f.</summary>
        private (string Mask, float FilterValue)? MaskSource(string tensor)
        {
            if (Producer(tensor, "Mul") is not { } mul)
            {
                return null;
            }

            foreach (int i in new[] { 0, 1 })
            {
                if (ScalarConstant(mul.Input[i]) is { } filter && filter < 0
                    && Producer(mul.Input[1 - i], "Sub") is { } sub && ScalarConstant(sub.Input[0]) == 1f
                    && Producer(sub.Input[1], "Cast") is { } cast
                    && Producer(cast.Input[0], "Unsqueeze") is { } outer
                    && Producer(outer.Input[0], "Unsqueeze") is { } inner
                    && _graphInputs.Contains(inner.Input[0]))
                {
                    return (inner.Input[0], filter);
                }
            }

            return null;
        }

        private NodeProto? Producer(string tensor, string opType) =>
            _producers.TryGetValue(tensor, out var node) && node.OpType == opType && node.Domain.Length == 0 ? node : null;

        private NodeProto? Single(string tensor)
        {
            if (_consumers.GetValueOrDefault(tensor) != 1)
            {
                return null;
            }

            return _firstReader.GetValueOrDefault(tensor);
        }

        private static bool HasPerm(NodeProto transpose, params int[] perm) =>
            transpose.Attribute.FirstOrDefault(a => a.Name == "perm") is { } attribute && attribute.Ints.SequenceEqual(perm.Select(p => (long)p));

        private long[]? ConstantShape(string tensor) =>
            _initializers.TryGetValue(tensor, out var t) && t.DataType == (int)TensorProto.Types.DataType.Int64
                ? (t.RawData.IsEmpty ? [.. t.Int64Data] : MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray())
                : null;

        private float? ScalarConstant(string tensor)
        {
            TensorProto? t = _initializers.GetValueOrDefault(tensor);
            if (t is null && _producers.TryGetValue(tensor, out var node) && node.OpType == "Constant")
            {
                t = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
            }

            if (t is null || t.DataType != (int)TensorProto.Types.DataType.Float || t.Dims.Aggregate(1L, (a, b) => a * b) != 1)
            {
                return null;
            }

            return t.RawData.IsEmpty ? t.FloatData[0] : BitConverter.ToSingle(t.RawData.Span);
        }
    }
}
