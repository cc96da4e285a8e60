using System.Text.Json;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Tests.Evaluation;

namespace SemanticSearch.Local.Tests.Benchmarks;

/// <summary>
/// CI's guard that <c>bench --quick</c> keeps working end to end on the tiny fixture: every section runs (encoder,
/// ingest, edit reuse, latency in process and over HTTP, scale, memory, both profiles), the table prints, and the JSON
/// and the plot are written. Timings are not asserted: CI machines are shared and noisy.
/// </summary>
public sealed class BenchHarnessTests
{
    [Fact]
    public async Task QuickBenchProducesEveryFigureTheTableTheJsonAndThePlot()
    {
        using var folder = new TempDirectory();
        using var console = new CapturedConsole();
        var output = new FileInfo(Path.Combine(folder.Path, "bench.json"));
        var arguments = BenchArguments.Quick(new FileInfo(TinyBeir.Corpus), new FileInfo(TinyBeir.Queries)) with
        {
            Sizes = [50, 300],
            Work = new DirectoryInfo(Path.Combine(folder.Path, "work")),
            Output = output,
        };

        Assert.Equal(0, await BenchCommand.RunAsync(arguments, console.Console, CancellationToken.None));

        Assert.Contains("min / median / max", console.Text, StringComparison.Ordinal);
        Assert.Contains("Where a cache-miss query's time goes", console.Text, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(output.FullName));
        var root = report.RootElement;
        foreach (var property in new[] { "createdAt", "machine", "loadAverageAtEnd", "repeats", "corpus", "figures", "scale", "queryPhases", "ingestPhases", "coldIngestMsPerDocument", "memory", "plot" })
        {
            Assert.True(root.TryGetProperty(property, out _), $"missing {property}");
        }

        var figures = root.GetProperty("figures").EnumerateArray().ToList();
        Assert.Equal(
            ["encoder", "ingest", "edit reuse", "search latency", "index size", "memory"],
            figures.Select(f => f.GetProperty("section").GetString()).Distinct());
        foreach (var name in new[] { "passages, batch 1", "queries, batch 32", "warm / cold time", "embedding reuse after one edit", "HTTP, cache miss p99", "in-process, cache hit p50", "peak working set" })
        {
            Assert.Contains(figures, f => f.GetProperty("name").GetString() == name);
        }
        foreach (var figure in figures)
        {
            var value = figure.GetProperty("value");
            Assert.True(value.GetProperty("min").GetDouble() <= value.GetProperty("median").GetDouble());
            Assert.True(value.GetProperty("median").GetDouble() <= value.GetProperty("max").GetDouble());
        }
        var reuse = figures.Single(f => f.GetProperty("name").GetString() == "embedding reuse after one edit").GetProperty("value").GetProperty("median").GetDouble();
        Assert.InRange(reuse, 0.5, 1);

        Assert.Equal([50, 300], root.GetProperty("scale").EnumerateArray().Select(p => p.GetProperty("chunks").GetInt32()));
        Assert.NotEmpty(root.GetProperty("queryPhases").EnumerateArray());
        Assert.NotEmpty(root.GetProperty("ingestPhases").EnumerateArray());
        var plot = await File.ReadAllTextAsync(Path.ChangeExtension(output.FullName, ".svg"));
        Assert.StartsWith("<svg", plot, StringComparison.Ordinal);
        Assert.Contains("hybrid p99", plot, StringComparison.Ordinal);

        // The JSON reads back: the plot can be redrawn from it without measuring again.
        var redrawn = new FileInfo(Path.Combine(folder.Path, "redrawn.svg"));
        Assert.Equal(0, await BenchCommand.ReplotAsync(output, redrawn, console.Console, CancellationToken.None));
        Assert.Equal(plot, await File.ReadAllTextAsync(redrawn.FullName));
    }
}
