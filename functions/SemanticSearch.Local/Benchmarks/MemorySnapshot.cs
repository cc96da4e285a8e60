using System.Diagnostics;
using System.Text.Json.Serialization;

namespace SemanticSearch.Local.Benchmarks;

/// <summary>The process's memory: peak and current working set (native ONNX and SQLite memory included) and the GC heap.</summary>
public sealed record MemorySnapshot(
    [property: JsonPropertyName("peakWorkingSetMiB")] double PeakWorkingSetMiB,
    [property: JsonPropertyName("workingSetMiB")] double WorkingSetMiB,
    [property: JsonPropertyName("gcHeapMiB")] double GcHeapMiB,
    [property: JsonPropertyName("gcCommittedMiB")] double GcCommittedMiB)
{
    private const double MiB = 1024 * 1024;

    public static MemorySnapshot Capture()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var gc = GC.GetGCMemoryInfo();
        return new MemorySnapshot(
            Math.Round(process.PeakWorkingSet64 / MiB, 1),
            Math.Round(process.WorkingSet64 / MiB, 1),
            Math.Round(gc.HeapSizeBytes / MiB, 1),
            Math.Round(gc.TotalCommittedBytes / MiB, 1));
    }
}
