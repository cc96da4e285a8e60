using System.Diagnostics;
using System.Globalization;
using Onnx;

namespace SemanticSearch.ModelTools;

/// <summary>
/// <c>SemanticSearch.ModelTools quantize &lt;float.onnx&gt; &lt;int8.onnx&gt;</c>: writes the int8 copy of a float BERT
/// encoder with the settings the product bundles (<see cref="DynamicQuantizationOptions.BundledInt8"/>).
/// <c>inspect &lt;model.onnx&gt;</c>: counts the node types of a model, to see what a quantization did.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        try
        {
            return args switch
            {
                ["quantize", var input, var target] => Quantize(input, target, output),
                ["inspect", var model] => Inspect(model, output),
                _ => Usage(error),
            };
        }
        catch (Exception failure) when (failure is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException or Google.Protobuf.InvalidProtocolBufferException)
        {
            error.WriteLine($"error: {failure.Message}");
            return 1;
        }
    }

    private static int Quantize(string input, string target, TextWriter output)
    {
        if (!File.Exists(input))
        {
            throw new FileNotFoundException($"No model at {Path.GetFullPath(input)}.", input);
        }

        var clock = Stopwatch.StartNew();
        var report = OnnxDynamicQuantizer.Quantize(input, target, DynamicQuantizationOptions.BundledInt8);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Path.GetFullPath(target)}: {report.QuantizedNodes.Count} nodes int8, {report.SkippedNodes.Count} left float, " +
            $"{report.InputBytes / 1e6:F1} MB -> {report.OutputBytes / 1e6:F1} MB in {clock.Elapsed.TotalSeconds:F1} s"));
        foreach (string skipped in report.SkippedNodes)
        {
            output.WriteLine($"  float: {skipped}");
        }

        return 0;
    }

    private static int Inspect(string path, TextWriter output)
    {
        ModelProto model;
        using (var stream = File.OpenRead(path))
        {
            model = ModelProto.Parser.ParseFrom(stream);
        }

        foreach (var group in model.Graph.Node.GroupBy(n => n.Domain.Length == 0 ? n.OpType : $"{n.Domain}.{n.OpType}").OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{group.Count(),5} {group.Key}"));
        }

        foreach (var entry in model.MetadataProps)
        {
            output.WriteLine($"metadata {entry.Key}: {entry.Value}");
        }

        return 0;
    }

    private static int Usage(TextWriter error)
    {
        error.WriteLine("""
            usage:
              SemanticSearch.ModelTools quantize <float.onnx> <int8.onnx>   int8 copy as the product bundles it
              SemanticSearch.ModelTools inspect <model.onnx>                node types and metadata
            """);
        return 2;
    }
}
