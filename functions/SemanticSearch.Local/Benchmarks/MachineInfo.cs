using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>
/// The machine a measurement ran on, recorded with every result: timings mean little without the cores, the CPU
/// and how busy the machine was (the load average is read at the start and the end of a run).
/// </summary>
public sealed record MachineInfo(
    [property: JsonPropertyName("cores")] int Cores,
    [property: JsonPropertyName("cpu")] string Cpu,
    [property: JsonPropertyName("os")] string OperatingSystem,
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("memoryGiB")] double MemoryGiB,
    [property: JsonPropertyName("loadAverage")] string LoadAverage)
{
    public static MachineInfo Capture() => new(
        Environment.ProcessorCount,
        CpuModel(),
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        LoadAverageNow());

    /// <summary>The 1, 5 and 15 minute load averages ("0.52 0.61 0.70"), or "n/a" where /proc is missing.</summary>
    public static string LoadAverageNow()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(' ', fields.Take(3));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>
    /// The CPU's AVX flags ("avx avx2 avx512_vnni ..."), which decide ONNX Runtime's kernels (VNNI speeds int8 up), or
    /// "n/a" where /proc is missing.
    /// </summary>
    public static string CpuFlags()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal));
            return line is null ? "n/a" : string.Join(' ', line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => f.StartsWith("avx", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString().ToLower(CultureInfo.InvariantCulture);
        }
    }
}
