using System.Text;

namespace SemanticSearch.Testing;

/// <summary>Long, varied, deterministic prose for ingestion tests: headings every ten paragraphs, ~70 words a paragraph.</summary>
public static class SyntheticDocument
{
    private static readonly string[] Words =
    [
        "river", "mountain", "protein", "signal", "engine", "harvest", "orbit", "glacier", "market", "theory",
        "cell", "pressure", "library", "voltage", "forest", "algorithm", "sediment", "enzyme", "tariff", "comet",
        "bridge", "neuron", "climate", "ledger", "harbor", "photon", "cartilage", "monsoon", "compiler", "mineral",
        "measured", "observed", "increased", "reduced", "collapsed", "migrated", "stabilised", "predicted", "failed", "recovered",
        "quickly", "slowly", "rarely", "often", "under", "across", "between", "within", "after", "before",
        "northern", "acidic", "ancient", "digital", "fragile", "dense", "coastal", "thermal", "rural", "urban",
    ];

    public static List<string> Paragraphs(int count, int seed = 42)
    {
        var random = new Random(seed);
        var paragraphs = new List<string>(count);
        for (var p = 0; p < count; p++)
        {
            var text = new StringBuilder($"Paragraph {p + 1} reports");
            for (var sentence = 0; sentence < 5; sentence++)
            {
                for (var w = 0; w < 13; w++)
                {
                    text.Append(' ').Append(Words[random.Next(Words.Length)]);
                }
                text.Append(sentence == 4 ? "." : ". The");
            }
            paragraphs.Add(text.ToString());
        }
        return paragraphs;
    }

    public static string Markdown(IReadOnlyList<string> paragraphs)
    {
        var text = new StringBuilder();
        for (var i = 0; i < paragraphs.Count; i++)
        {
            if (i % 10 == 0)
            {
                text.Append("## Section ").Append(i / 10 + 1).Append("\n\n");
            }
            text.Append(paragraphs[i]).Append("\n\n");
        }
        return text.ToString();
    }
}
