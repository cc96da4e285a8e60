using SemanticSearch.Local.Evaluation;

namespace SemanticSearch.Local.Tests.Evaluation;

/// <summary>The metrics against values worked out by hand with trec_eval's definitions.</summary>
public sealed class RetrievalMetricsTests
{
    // b is the best document (grade 2); d and e are relevant (grade 1); e is never retrieved; c is judged irrelevant.
    private static readonly Dictionary<string, int> Judgements = new() { ["b"] = 2, ["c"] = 0, ["d"] = 1, ["e"] = 1 };
    private static readonly string[] Ranked = ["a", "b", "c", "d"];

    [Fact]
    public void NdcgUsesTheGradeAsGainAndALog2Discount()
    {
        // DCG@3 = 2 / log2(3); ideal DCG@3 = 2 / log2(2) + 1 / log2(3) + 1 / log2(4) = 2 + 0.63093 + 0.5.
        var expected = (2 / Math.Log2(3)) / (2 + 1 / Math.Log2(3) + 0.5);
        Assert.Equal(0.4030302838, expected, 9);
        Assert.Equal(expected, RetrievalMetrics.NdcgAt(Ranked, Judgements, 3), 12);
    }

    [Fact]
    public void NdcgCutsTheIdealRankingAtK()
    {
        // At k = 1 only the first place counts: a is irrelevant, the ideal first place holds grade 2.
        Assert.Equal(0, RetrievalMetrics.NdcgAt(Ranked, Judgements, 1));
        // ["b"] at k = 1 is ideal even though d and e are missing.
        Assert.Equal(1, RetrievalMetrics.NdcgAt(["b"], Judgements, 1), 12);
    }

    [Fact]
    public void NdcgIsOneForTheIdealRankingAndZeroWithoutRelevantDocuments()
    {
        Assert.Equal(1, RetrievalMetrics.NdcgAt(["b", "d", "e", "a"], Judgements, 10), 12);
        // d and e tie on grade 1: either order is ideal.
        Assert.Equal(1, RetrievalMetrics.NdcgAt(["b", "e", "d"], Judgements, 10), 12);
        Assert.Equal(0, RetrievalMetrics.NdcgAt(["a", "c"], Judgements, 10));
        Assert.Equal(0, RetrievalMetrics.NdcgAt(["a"], new Dictionary<string, int> { ["a"] = 0 }, 10));
    }

    [Fact]
    public void NdcgOfOneRelevantDocumentInSecondPlace()
    {
        // 1 / log2(3) over an ideal of 1.
        Assert.Equal(0.6309297536, RetrievalMetrics.NdcgAt(["x", "a"], new Dictionary<string, int> { ["a"] = 1 }, 10), 9);
    }

    [Fact]
    public void RecallCountsRelevantDocumentsFoundInTheFirstK()
    {
        Assert.Equal(1.0 / 3, RetrievalMetrics.RecallAt(Ranked, Judgements, 3), 12);
        Assert.Equal(2.0 / 3, RetrievalMetrics.RecallAt(Ranked, Judgements, 4), 12);
        Assert.Equal(2.0 / 3, RetrievalMetrics.RecallAt(Ranked, Judgements, 10), 12);
        Assert.Equal(0, RetrievalMetrics.RecallAt(Ranked, Judgements, 1));
        Assert.Equal(0, RetrievalMetrics.RecallAt(Ranked, new Dictionary<string, int> { ["a"] = 0 }, 10));
    }

    [Fact]
    public void ReciprocalRankIsOneOverTheRankOfTheFirstRelevantDocumentWithinK()
    {
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRankAt(Ranked, Judgements, 10), 12);
        Assert.Equal(0.5, RetrievalMetrics.ReciprocalRankAt(Ranked, Judgements, 2), 12);
        Assert.Equal(0, RetrievalMetrics.ReciprocalRankAt(Ranked, Judgements, 1));
        Assert.Equal(1, RetrievalMetrics.ReciprocalRankAt(["d"], Judgements, 10));
        Assert.Equal(0, RetrievalMetrics.ReciprocalRankAt([], Judgements, 10));
    }
}
