using SemanticSearch.Local.Benchmarks;
using SemanticSearch.Local.Commands;
using SemanticSearch.Local.Evaluation;
using SemanticSearch.Local.Tests.Evaluation;

using SemanticSearch.Local.Tests.Support;

namespace SemanticSearch.Local.Tests.Commands;

/// <summary>
/// Every verb given bad input either handles it and says so, or ends with one clear line and exit code 2 — never a
/// stack trace: missing, empty, malformed and unreadable files, repeated ids and texts, judgements of unknown ids.
/// </summary>
[Collection(CommandLine.Name)]
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    [Theory]
    [InlineData("bench", "malformed")]
    [InlineData("bench", "empty")]
    [InlineData("bench", "missing")]
    [InlineData("bench", "directory")]
    [InlineData("eval", "malformed")]
    [InlineData("eval", "empty")]
    [InlineData("eval", "missing")]
    [InlineData("eval", "directory")]
    public async Task ABadCorpusFileEndsWithOneLineAndExitCode2(string verb, string kind)
    {
        var corpus = kind switch
        {
            "malformed" => Write("corpus.jsonl", "{\"_id\": \"1\", \"text\": \"fine\"}\nnot json at all\n"),
            "empty" => Write("corpus.jsonl", ""),
            "missing" => Path.Combine(_folder.Path, "nothing-here.jsonl"),
            _ => Directory.CreateDirectory(Path.Combine(_folder.Path, "a-folder")).FullName,
        };
        string[] arguments = verb == "bench"
            ? ["bench", "--quick", "--corpus", corpus, "--queries", TinyBeir.Queries, "--work", Path.Combine(_folder.Path, "work")]
            : ["eval", "--corpus", corpus, "--queries", TinyBeir.Queries, "--qrels", TinyBeir.Qrels, "--data", Path.Combine(_folder.Path, "data")];

        var (exitCode, output) = await CommandLine.RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(corpus), output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "search" }, "Required argument missing")]
    [InlineData(new[] { "bogus" }, "Unrecognized command or argument 'bogus'")]
    [InlineData(new[] { "serve", "--docs" }, "Required argument missing for option: '--docs'")]
    [InlineData(new[] { "serve", "--data", "/definitely/not/an/index" }, "No index in /definitely/not/an/index")]
    [InlineData(new[] { "bench", "--replot", "/definitely/not/here.json" }, "No file")]
    [InlineData(new[] { "serve", "--docs", ".", "--poll-interval", "abc" }, "Cannot parse argument 'abc'")]
    public async Task UsageErrorsAreOneLineAndExitCode2(string[] arguments, string message)
    {
        var (exitCode, output) = await CommandLine.RunAsync(arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(message, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResultsFileThatIsNotOneIsRefusedForReplotting()
    {
        var results = Write("results.json", "[1, 2, 3");

        var (exitCode, output) = await CommandLine.RunAsync(["bench", "--replot", results]);

        Assert.Equal(2, exitCode);
        Assert.Contains("is not a bench results file", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedQueryTextsAreUsedOnceAndEveryQueryHandedOutIsNew()
    {
        var queries = Write("queries.jsonl", "{\"_id\":\"a\",\"text\":\"How do bees navigate?\"}\n{\"_id\":\"b\",\"text\":\"how do  bees navigate?\"}\n{\"_id\":\"c\",\"text\":\"Why does bread rise?\"}\n");

        var corpus = BenchmarkCorpus.Load(TinyBeir.Corpus, queries);
        var handedOut = Enumerable.Range(0, 7).Select(_ => corpus.NextQuery()).ToList();

        Assert.Contains(corpus.Notes, n => n.Contains("1 query texts repeat", StringComparison.Ordinal));
        Assert.Equal(handedOut.Count, handedOut.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void RepeatedIdsAndJudgementsOfUnknownIdsAreIgnoredAndSaid()
    {
        var corpus = Write("corpus.jsonl", "{\"_id\":\"d1\",\"text\":\"one\"}\n{\"_id\":\"d1\",\"text\":\"again\"}\n{\"_id\":\"d2\",\"text\":\"two\"}\n");
        var queries = Write("queries.jsonl", "{\"_id\":\"q1\",\"text\":\"first\"}\n{\"_id\":\"q1\",\"text\":\"again\"}\n");
        var qrels = Write("qrels.tsv", "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\tnowhere\t1\nq9\td2\t1\n");

        var dataset = BeirDataset.Load(corpus, queries, qrels);

        Assert.Equal(["d1", "d2"], dataset.Corpus.Select(d => d.Id));
        Assert.Equal("one", dataset.Corpus[0].Text);
        Assert.Equal(["q1"], dataset.Queries.Select(q => q.Id));
        Assert.Equal(4, dataset.Notes.Count);
    }

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
