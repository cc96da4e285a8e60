using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Tests.Evaluation;

public sealed class BeirDatasetTests
{
    [Fact]
    public void LoadsTheTinyFixture()
    {
        var dataset = TinyBeir.Load();

        Assert.Equal(20, dataset.Corpus.Count);
        Assert.Equal(5, dataset.Queries.Count);
        Assert.Equal(7, dataset.Qrels.Values.Sum(j => j.Count));
        Assert.Equal("Honeybee navigation", dataset.Corpus[0].Title);
        Assert.Equal(2, dataset.Qrels["q2"]["d07"]);
    }

    [Fact]
    public void KeepsOnlyJudgedQueriesAndJudgementsOfKnownDocuments()
    {
        using var folder = new TempDirectory();
        File.WriteAllLines(folder.File("corpus.jsonl"), ["""{"_id": "1", "title": "", "text": "one"}""", "", """{"_id": 2, "text": "two"}"""]);
        File.WriteAllLines(folder.File("queries.jsonl"), ["""{"_id": "q1", "text": "judged"}""", """{"_id": "q2", "text": "not judged"}""", """{"_id": "q3", "text": "only unknown docs"}"""]);
        File.WriteAllLines(folder.File("qrels.tsv"), ["query-id\tcorpus-id\tscore", "q1\t1\t1", "q1\t404\t1", "q3\t404\t2"]);

        var dataset = BeirDataset.Load(folder.File("corpus.jsonl"), folder.File("queries.jsonl"), folder.File("qrels.tsv"));

        Assert.Equal(["1", "2"], dataset.Corpus.Select(d => d.Id));
        Assert.Equal(["q1"], dataset.Queries.Select(q => q.Id));
        Assert.Equal(["1"], dataset.Qrels["q1"].Keys);
    }

    [Fact]
    public void RejectsAMalformedQrelsLine()
    {
        using var folder = new TempDirectory();
        File.WriteAllLines(folder.File("qrels.tsv"), ["query-id\tcorpus-id\tscore", "q1 1 x"]);

        var error = Assert.Throws<FormatException>(() => BeirDataset.ReadQrels(folder.File("qrels.tsv")));
        Assert.Contains(":2:", error.Message, StringComparison.Ordinal);
    }
}
