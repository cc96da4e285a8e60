using System.Text.Json;
using SemanticSearch.Indexing;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Tests.Support;

namespace SemanticSearch.Local.Tests.Evaluation;

/// <summary>
/// CI's guard that <c>eval</c> keeps working end to end on the tiny fixture with the real encoder: it parses, ingests,
/// scores every mode, prints the table and writes complete JSON. It asserts the harness, not the scores.
/// </summary>
[Collection(CommandLine.Name)] // writes through the process-wide console that command-line tests swap
public sealed class EvalHarnessTests
{
    [Fact]
    public async Task EvalRunsFromTheCommandLineAndAgainFromItsDataFolder()
    {
        using var folder = new TempDirectory();
        var data = Path.Combine(folder.Path, "data");
        var output = Path.Combine(folder.Path, "eval.json");

        var exitCode = await SemanticSearchCommandLine.Create()
            .Parse(["eval", "--corpus", TinyBeir.Corpus, "--queries", TinyBeir.Queries, "--qrels", TinyBeir.Qrels, "--data", data, "--output", output])
            .InvokeAsync();

        Assert.Equal(0, exitCode);
        using (var first = JsonDocument.Parse(await File.ReadAllTextAsync(output)))
        {
            AssertCompleteReport(first.RootElement, ["keyword", "vector", "hybrid"]);
            var ingestion = first.RootElement.GetProperty("ingestion");
            Assert.Equal(20, ingestion.GetProperty("indexed").GetInt32());
            Assert.True(ingestion.GetProperty("embeddingsComputed").GetInt32() > 0);
        }

        // The second run reuses the data folder: nothing is embedded again, and the default output lands in it.
        using var console = new CapturedConsole();
        var arguments = new EvalArguments(new FileInfo(TinyBeir.Corpus), new FileInfo(TinyBeir.Queries), new FileInfo(TinyBeir.Qrels),
            EvalCommand.ParseModes("all"), 10, null, new DirectoryInfo(data), null);
        Assert.Equal(0, await EvalCommand.RunAsync(arguments, console.Console, CancellationToken.None));

        Assert.Contains("nDCG@10", console.Text, StringComparison.Ordinal);
        Assert.Contains("hybrid", console.Text, StringComparison.Ordinal);
        using var second = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "eval-results.json")));
        AssertCompleteReport(second.RootElement, ["keyword", "vector", "hybrid"]);
        Assert.Equal(20, second.RootElement.GetProperty("ingestion").GetProperty("unchanged").GetInt32());
        Assert.Equal(0, second.RootElement.GetProperty("ingestion").GetProperty("embeddingsComputed").GetInt32());
    }

    [Fact]
    public async Task OneModeAndAnotherCutOff()
    {
        using var folder = new TempDirectory();
        using var console = new CapturedConsole();
        var output = new FileInfo(Path.Combine(folder.Path, "keyword.json"));
        var arguments = new EvalArguments(new FileInfo(TinyBeir.Corpus), new FileInfo(TinyBeir.Queries), new FileInfo(TinyBeir.Qrels),
            [RetrievalMode.Keyword], 3, 6, new DirectoryInfo(Path.Combine(folder.Path, "data")), output);

        Assert.Equal(0, await EvalCommand.RunAsync(arguments, console.Console, CancellationToken.None));

        Assert.Contains("nDCG@3", console.Text, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(await File.ReadAllTextAsync(output.FullName));
        AssertCompleteReport(report.RootElement, ["keyword"]);
        Assert.Equal(6, report.RootElement.GetProperty("settings").GetProperty("chunksPerQuery").GetInt32());
    }

    [Fact]
    public async Task MissingFilesAreReportedNotThrown()
    {
        using var folder = new TempDirectory();
        using var console = new CapturedConsole();
        var missing = new FileInfo(Path.Combine(folder.Path, "nope.jsonl"));
        var arguments = new EvalArguments(missing, new FileInfo(TinyBeir.Queries), new FileInfo(TinyBeir.Qrels),
            EvalCommand.ParseModes("all"), 10, null, new DirectoryInfo(folder.Path), null);

        Assert.Equal(2, await EvalCommand.RunAsync(arguments, console.Console, CancellationToken.None));
        Assert.Contains("nope.jsonl", console.Text, StringComparison.Ordinal);
    }

    private static void AssertCompleteReport(JsonElement report, string[] modes)
    {
        foreach (var property in new[] { "createdAt", "machine", "loadAverageAtEnd", "dataset", "settings", "ingestion", "queryEmbeddingSeconds", "modes" })
        {
            Assert.True(report.TryGetProperty(property, out _), $"missing {property}");
        }
        Assert.Equal(5, report.GetProperty("dataset").GetProperty("evaluatedQueries").GetInt32());
        var rows = report.GetProperty("modes").EnumerateArray().ToList();
        Assert.Equal(modes, rows.Select(r => r.GetProperty("mode").GetString()));
        foreach (var row in rows)
        {
            foreach (var metric in new[] { "ndcg", "recall", "mrr" })
            {
                var value = row.GetProperty(metric).GetDouble();
                Assert.InRange(value, 0, 1);
            }
            Assert.Equal(5, row.GetProperty("queries").GetInt32());
            Assert.True(row.GetProperty("seconds").GetDouble() >= 0);
        }
    }
}
