using System.Text;

namespace SemanticSearch.AzureBackends.Tests.Faults;

/// <summary>
/// The documents the fault tests ingest: Markdown of 1–6 synthetic paragraphs each (so one to a few chunks), with a few
/// exact copies under other names, whose chunks must be embedded once and indexed once per copy.
/// </summary>
internal static class FaultCorpus
{
    public static Dictionary<string, byte[]> Create(int documents, int copies, int seed)
    {
        var random = new Random(seed);
        var corpus = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < documents; i++)
        {
            var paragraphs = SyntheticDocument.Paragraphs(1 + random.Next(6), seed: seed * 1000 + i);
            var text = $"# Report {i:D3}\n\n" + SyntheticDocument.Markdown(paragraphs);
            corpus[$"reports/report-{i:D3}.md"] = Encoding.UTF8.GetBytes(text);
        }
        for (var i = 0; i < copies; i++)
        {
            corpus[$"copies/report-{i:D3}-copy.md"] = corpus[$"reports/report-{i:D3}.md"];
        }
        return corpus;
    }
}
