using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace SemanticSearch.ModelTools;

/// <summary>
/// Replaces the run-time shape arithmetic that PyTorch exports around <c>Reshape</c> with constant shapes, so that
/// ONNX Runtime's transformer fusions (Attention, SkipLayerNormalization) can recognise the graph.
/// </summary>
/// <remarks>
/// A Hugging Face BERT export splits heads with <c>Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)),
/// Unsqueeze(Gather(Shape(x), 1)), [12], [32]))</c>. Because the shape is computed, ONNX Runtime's shape inference
/// loses the symbolic batch and sequence dimensions and its fusions, which match constant Reshape shapes, do not fire.
/// Where every computed entry <c>i</c> of such a shape is dimension <c>i</c> of the Reshape's own input, that entry is
/// replaced by 0, which ONNX Reshape defines as "copy dimension i of the input" (when <c>allowzero</c> is 0): the
/// result is identical for every input shape. Other Reshapes are left alone; nodes left without consumers are removed.
/// </remarks>
public static class OnnxShapeSimplifier
{
    /// <summary>Simplifies <paramref name="model"/> in place; returns how many Reshape shapes became constants.</summary>
    public static int FoldReshapeShapes(ModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph ?? throw new InvalidDataException("The model has no graph.");

        var producers = new Dictionary<string, NodeProto>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            foreach (string output in node.Output)
            {
                producers[output] = node;
            }
        }

        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var names = graph.Node.SelectMany(n => n.Output).Concat(initializers.Keys).ToHashSet(StringComparer.Ordinal);
        int folded = 0;

        foreach (var reshape in graph.Node.Where(n => n.OpType == "Reshape" && n.Domain.Length == 0 && n.Input.Count == 2).ToList())
        {
            if (reshape.Attribute.Any(a => a.Name == "allowzero" && a.I != 0))
            {
                continue;
            }

            var shape = ResolveShape(reshape.Input[0], reshape.Input[1], producers, initializers);
            if (shape is null)
            {
                continue;
            }

            string name = reshape.Input[1] + "_constant";
            for (int i = 1; !names.Add(name); i++)
            {
                name = $"{reshape.Input[1]}_constant_{i}";
            }

            var tensor = new TensorProto
            {
                Name = name,
                DataType = (int)TensorProto.Types.DataType.Int64,
                RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(shape.AsSpan())),
            };
            tensor.Dims.Add(shape.Length);
            graph.Initializer.Add(tensor);
            initializers[name] = tensor;
            reshape.Input[1] = name;
            folded++;
        }

        RemoveDeadNodes(graph);
        return folded;
    }

    /// <summary>The constant equivalent of the shape tensor <paramref name="shapeName"/> of a Reshape of <paramref name="data"/>, or null.</summary>
    private static long[]? ResolveShape(
        string data,
        string shapeName,
        Dictionary<string, NodeProto> producers,
        Dictionary<string, TensorProto> initializers)
    {
        if (!producers.TryGetValue(shapeName, out var concat) || concat.OpType != "Concat"
            || concat.Attribute.FirstOrDefault(a => a.Name == "axis")?.I is not 0)
        {
            return null;
        }

        var shape = new List<long>();
        bool computed = false;
        foreach (string part in concat.Input)
        {
            if (ReadInt64s(part, producers, initializers) is { } constant)
            {
                shape.AddRange(constant);
                continue;
            }

            // Unsqueeze(Gather(Shape(data), i), axes [0]) at position i: "keep dimension i", which Reshape spells 0.
            if (!producers.TryGetValue(part, out var unsqueeze) || unsqueeze.OpType != "Unsqueeze"
                || !IsAxesZero(unsqueeze, producers, initializers)
                || !producers.TryGetValue(unsqueeze.Input[0], out var gather) || gather.OpType != "Gather"
                || (gather.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0) != 0
                || ReadInt64s(gather.Input[1], producers, initializers) is not [var index]
                || index != shape.Count
                || !producers.TryGetValue(gather.Input[0], out var shapeNode) || shapeNode.OpType != "Shape"
                || shapeNode.Attribute.Count != 0
                || shapeNode.Input[0] != data)
            {
                return null;
            }

            shape.Add(0);
            computed = true;
        }

        return computed ? [.. shape] : null;
    }

    private static bool IsAxesZero(NodeProto unsqueeze, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers)
    {
        // Opset 13 passes axes as an input; earlier opsets as an attribute.
        if (unsqueeze.Input.Count == 2)
        {
            return ReadInt64s(unsqueeze.Input[1], producers, initializers) is [0];
        }

        return unsqueeze.Attribute.FirstOrDefault(a => a.Name == "axes") is { } axes && axes.Ints.Count == 1 && axes.Ints[0] == 0;
    }

    /// <summary>The values of an int64 initializer or Constant node output, or null when it is neither.</summary>
    private static long[]? ReadInt64s(string name, Dictionary<string, NodeProto> producers, Dictionary<string, TensorProto> initializers)
    {
        TensorProto? tensor = null;
        if (initializers.TryGetValue(name, out var initializer))
        {
            tensor = initializer;
        }
        else if (producers.TryGetValue(name, out var node) && node.OpType == "Constant")
        {
            tensor = node.Attribute.FirstOrDefault(a => a.Name == "value")?.T;
        }

        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Int64)
        {
            return null;
        }

        return tensor.RawData.IsEmpty ? [.. tensor.Int64Data] : MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray();
    }

    /// <summary>Removes nodes none of whose outputs is read, repeatedly, and initializers nobody reads.</summary>
    internal static void RemoveDeadNodes(GraphProto graph)
    {
        var graphOutputs = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        bool changed = true;
        while (changed)
        {
            var read = graph.Node.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
            var dead = graph.Node.Where(n => n.Output.All(o => o.Length == 0 || (!read.Contains(o) && !graphOutputs.Contains(o)))).ToList();
            changed = dead.Count > 0;
            foreach (var node in dead)
            {
                graph.Node.Remove(node);
            }
        }

        var used = graph.Node.SelectMany(n => n.Input).Concat(graphOutputs).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer.Where(i => !used.Contains(i.Name) && !inputs.Contains(i.Name)).ToList())
        {
            graph.Initializer.Remove(initializer);
        }
    }
}
